// Every form's refusals at 360x640 (issue 13): bad input on each form the screens reach
// (signing in, joining, a new and an edited person, inviting someone, a new walk list, a
// list's script and survey, a conversation and someone met at a door) is answered beside its
// field in words, the field marked invalid for assistive technology, no field's key shown, and
// everything typed still there. A new list's form counts doors as its page will.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { chooseArea, csrf, letters, noAxeViolations, noSidewaysScroll, signIn, syncNow, syntheticVale } from './support';

const PHONE = { viewport: { width: 360, height: 640 }, hasTouch: true };

/**
 * `field` is marked invalid, and beside it (after it, with no other field between but those
 * it describes too) is an element of its `aria-describedby` that says `words`.
 */
async function wrongBeside(field: Locator, words: string) {
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect
    .poll(() =>
      field.evaluate((e, words) => {
        const ids = (e.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
        const described = ids.map((id) => document.getElementById(id)).filter((m) => m !== null);
        const message = described.find((m) => (m.textContent ?? '').includes(words));
        if (!message) return `no description says "${words}": ${described.map((m) => m.textContent).join(' | ')}`;
        const after = (a: Node, b: Node) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
        const between = [...document.querySelectorAll('main input, main select, main textarea, main button')]
          .filter((c) => c !== e && after(e, c) && after(c, message))
          .filter((c) => !(c.getAttribute('aria-describedby') ?? '').split(/\s+/).includes(message.id))
          .map((c) => c.outerHTML.slice(0, 60));
        return between.length ? `fields between it and its message: ${between.join(', ')}` : 'beside';
      }, words),
    )
    .toBe('beside');
}

/** `field` is no longer marked invalid. */
async function fine(field: Locator) {
  await expect(field).not.toHaveAttribute('aria-invalid', 'true');
}

/** Nothing on the screen shows a field by its key ("phone: is not …") or a problem by its
 * code. */
async function noRawKeys(page: Page, screen: string) {
  const text = await page.locator('main').innerText();
  const keys =
    /\b(name|phone|email|password|title|body|questions(\.\d+)?(\.\w+)?|members|assignees|area|role|new_issue|follow_up|note|story|skills|answers\.\w+):\s*(is|must|should|may|does|this)\b|\b(BadPhone|BadEmail|BadName|TooLong|TooShort|NotAChoice|UnknownReference|invalid:)/;
  expect(text.match(keys)?.[0], `${screen} shows a raw key`).toBeUndefined();
}

/** The screen as it is now, with its problems showing: no raw key, nothing sideways, no axe
 * violation. */
async function wellShown(page: Page, screen: string) {
  await noRawKeys(page, screen);
  await noSidewaysScroll(page, screen);
  await noAxeViolations(page, screen);
}

test('signing in: a missing or malformed value is said beside its field', async ({ browser }) => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto('/sign-in');
  const email = page.getByLabel('Email');
  const password = page.getByLabel('Password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await wrongBeside(email, 'This is required.');
  await wrongBeside(password, 'This is required.');
  await wellShown(page, 'sign-in, nothing typed');

  // The server's refusal of a malformed email, beside it; the password typed stays.
  await email.fill('not-an-email');
  await password.fill('a synthetic password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await wrongBeside(email, 'This is not an email address.');
  await fine(password);
  await expect(email).toHaveValue('not-an-email');
  await expect(password).toHaveValue('a synthetic password');
  await wellShown(page, 'sign-in, a malformed email');
  await context.close();
});

test('joining: the server refuses each value beside its field, and nothing typed is lost', async ({ page, browser }) => {
  await signIn(page);
  const { ward } = await syntheticVale(page.request);
  const made = await page.request.post('/api/invites', {
    headers: { 'x-csrf-token': await csrf(page.request) },
    data: { name: `Jem ${letters(6)}`, role: 'volunteer', area: ward.id },
  });
  expect(made.status(), await made.text()).toBe(201);
  const link: string = (await made.json()).path;

  const context = await browser.newContext(PHONE);
  const phone = await context.newPage();
  await phone.goto(link);
  const name = phone.getByLabel('Your name');
  const email = phone.getByLabel('Your email');
  const password = phone.getByLabel('Choose a password');
  await name.fill('Jem 2');
  await email.fill('not-an-email');
  await password.fill('short');
  await phone.getByRole('button', { name: 'Join and sign in' }).click();
  await wrongBeside(name, 'A name may contain only letters');
  await wrongBeside(email, 'This is not an email address.');
  await wrongBeside(password, 'at least 12 characters');
  await expect(name).toHaveValue('Jem 2');
  await expect(email).toHaveValue('not-an-email');
  await expect(password).toHaveValue('short');
  await wellShown(phone, 'join, every value refused');
  await context.close();
});

test("an organiser's forms say each problem beside its field and keep what was typed", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page);
  const { wardName } = await syntheticVale(page.request);
  await syncNow(page);

  // A new person.
  await page.goto('/people');
  const name = page.locator('#person-name');
  const phone = page.locator('#person-phone');
  await name.fill('Ann 2');
  await phone.fill('12345');
  await page.getByRole('button', { name: 'Save person' }).click();
  await wrongBeside(name, 'A name may contain only letters');
  await wrongBeside(phone, 'This is not a UK phone number');
  await expect(name).toHaveValue('Ann 2');
  await expect(phone).toHaveValue('12345');
  await expect(page.getByRole('alert').filter({ hasText: 'see the notes beside the fields' })).toBeVisible();
  await wellShown(page, 'a new person, refused');

  // Someone already there, edited.
  await page.getByRole('list', { name: 'People' }).getByRole('link').first().click();
  const editName = page.locator('#edit-name');
  const editPhone = page.locator('#edit-phone');
  await expect(editName).not.toHaveValue('');
  const before = await editName.inputValue();
  await editPhone.fill('not a phone');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await wrongBeside(editPhone, 'This is not a UK phone number');
  await fine(editName);
  await expect(editName).toHaveValue(before);
  await expect(editPhone).toHaveValue('not a phone');
  await wellShown(page, 'a person edited, refused');

  // An invitation.
  await page.goto('/team');
  const invitee = page.getByLabel('Their name');
  await invitee.fill('R2 D2');
  await page.getByRole('button', { name: 'Make invitation link' }).click();
  await wrongBeside(invitee, 'A name may contain only letters');
  await expect(invitee).toHaveValue('R2 D2');
  await noRawKeys(page, 'an invitation, refused');
  await noSidewaysScroll(page, 'an invitation, refused');

  // A new walk list with no name and nobody to knock: the ward's last street is never
  // knocked in the demo, so nobody there was found not home last time.
  await page.goto('/lists/new');
  await chooseArea(page.getByLabel('Area'), wardName);
  const street = page.getByLabel('Street');
  await expect(street.locator('option')).not.toHaveCount(1);
  await street.selectOption({ index: (await street.locator('option').count()) - 1 });
  const streetName = await street.inputValue();
  const reach = page.getByLabel('Who to knock');
  await reach.selectOption({ label: 'Only people not home last time' });
  const holds = page.locator('#list-holds');
  await expect(holds).toHaveText('0 doors, 0 people on this list.');
  await page.getByRole('button', { name: 'Save walk list' }).click();
  const listName = page.getByLabel('Name');
  await wrongBeside(listName, 'This must not be empty.');
  await wrongBeside(reach, 'Nobody to knock there');
  await wrongBeside(street, 'Nobody to knock there');
  await expect(street).toHaveValue(streetName);
  await expect(reach).toHaveValue('not-home');
  await wellShown(page, 'a new list, refused');

  // Put right, it says its doors and people as its page will count them.
  const named = `Forms ${letters(6)}`;
  await listName.fill(named);
  await reach.selectOption({ label: 'Everyone' });
  await expect(holds).toHaveText(/^\d+ doors?, \d+ (people|person) on this list\./);
  const [, doors, people] = (await holds.textContent())!.match(/^(\d+) doors?, (\d+) (?:people|person)/)!;
  expect(Number(people)).toBeGreaterThanOrEqual(Number(doors));
  await page.getByRole('button', { name: 'Save walk list' }).click();
  await expect(page.getByRole('heading', { name: named })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'doors done' })).toHaveText(
    new RegExp(`^0 of ${doors} doors? done`),
  );
  const listUrl = page.url();

  // Its script: a title is needed; what was written stays.
  await page.getByText('Volunteers, script and survey').click();
  await page.getByText('Write a new script').click();
  const title = page.locator('#script-title');
  const body = page.locator('#script-body');
  await body.fill('Hello, we are listening to neighbours.');
  await page.getByRole('button', { name: 'Save script' }).click();
  await wrongBeside(title, 'This must not be empty.');
  await fine(body);
  await expect(body).toHaveValue('Hello, we are listening to neighbours.');

  // Its survey: a question too long is said beside that question.
  await page.getByText('Write a new survey').click();
  await page.locator('#survey-title').fill('Buses');
  await page.locator('#question-0').fill('Do you use the bus?');
  await page.locator('#choices-0').fill('Daily\nNever');
  await page.getByRole('button', { name: 'Add a question' }).click();
  const long = `Which route ${'x'.repeat(200)}?`;
  await page.locator('#question-1').fill(long);
  await page.getByRole('button', { name: 'Save survey' }).click();
  await wrongBeside(page.locator('#question-1'), 'This must be at most 200 characters.');
  await fine(page.locator('#question-0'));
  await expect(page.locator('#question-0')).toHaveValue('Do you use the bus?');
  await expect(page.locator('#choices-0')).toHaveValue('Daily\nNever');
  await expect(page.locator('#question-1')).toHaveValue(long);
  await wellShown(page, 'a list with its script and survey refused');

  // At its first door: a conversation with a bad phone and email, and someone met there
  // whose name cannot be a name.
  await page.goto(listUrl);
  await page.getByRole('link', { name: 'Next door' }).click();
  await page.getByRole('button', { name: /^Talk to / }).first().click();
  const doorPhone = page.getByLabel('Phone number');
  const doorEmail = page.getByLabel('Email address');
  const note = page.getByLabel('Note');
  await note.fill('Asked about the buses.');
  await doorPhone.fill('12345');
  await doorEmail.fill('not-an-email');
  await page.getByRole('button', { name: 'Save conversation' }).click();
  await wrongBeside(doorPhone, 'This is not a UK phone number');
  await wrongBeside(doorEmail, 'This is not an email address.');
  await fine(note);
  await expect(note).toHaveValue('Asked about the buses.');
  await expect(doorPhone).toHaveValue('12345');
  await expect(doorEmail).toHaveValue('not-an-email');
  await wellShown(page, 'a conversation at the door, refused');

  await page.getByRole('button', { name: 'Add someone met here' }).click();
  const met = page.getByLabel('Name of the person met here');
  await met.fill('Cai 2');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await wrongBeside(met, 'A name may contain only letters');
  await expect(met).toHaveValue('Cai 2');
  await noRawKeys(page, 'someone met at the door, refused');
});
