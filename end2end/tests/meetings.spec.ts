// Meetings from the screens alone, at 360x640: an organiser makes a launch meeting, a
// volunteer proposes a house meeting that the organiser approves; a host's evening of sign-in
// on one phone with no signal (someone new, someone invited who comes back, someone under
// 16, someone who agrees to no contact, a refused form that keeps what was typed, a reload),
// left with the host's PIN, and the organiser seeing who came once each.
import { expect, test, type Page } from '@playwright/test';
import {
  chooseArea,
  controlled,
  letters,
  pullAll,
  screenHolds,
  signIn,
  syncNow,
  syntheticVale,
  uniqueName,
  volunteer,
  VOLUNTEER_PASSWORD,
} from './support';

const PHONE = { viewport: { width: 360, height: 640 }, hasTouch: true };

/** Opens Meetings from the start screen, through the app bar's title. */
async function openMeetings(page: Page) {
  await page.getByRole('link', { name: 'Organise', exact: true }).click();
  await page.getByRole('link', { name: 'Meetings', exact: true }).click();
}

/** Fills the new meeting form and saves it. */
async function makeMeeting(page: Page, kind: string, title: string, area: string) {
  await openMeetings(page);
  await page.getByRole('link', { name: 'New meeting' }).click();
  await page.getByLabel('Kind of meeting').selectOption({ label: kind });
  await page.getByLabel('Title').fill(title);
  await chooseArea(page.getByLabel('Area'), area);
  await page.getByLabel('Where').fill('The community hall, Synthetic Road');
  await page.getByLabel('Starts').fill('2031-01-15T19:00');
  await page.getByLabel('Ends').fill('2031-01-15T21:00');
  await page.getByRole('button', { name: 'Save meeting' }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
}

test('an organiser makes a meeting, and a volunteer proposes one that the organiser approves', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page);
  const { vale, ward, wardName } = await syntheticVale(page.request);
  await syncNow(page);

  // A refused form says why beside each field and keeps what was typed.
  await openMeetings(page);
  await page.getByRole('link', { name: 'New meeting' }).click();
  await page.getByLabel('Where').fill('Kept while the rest is wrong');
  await page.getByLabel('How many fit (leave blank for no limit)').fill('a dozen');
  await page.getByRole('button', { name: 'Save meeting' }).click();
  await expect(page.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Starts')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#meeting-capacity-problem')).toHaveText('Give a whole number, like 12, or leave it blank.');
  await expect(page.getByLabel('Where')).toHaveValue('Kept while the rest is wrong');
  await screenHolds(page, 'new meeting with problems');

  const launch = `Launch ${letters(120)}`;
  await makeMeeting(page, 'Launch meeting', launch, 'Synthetic Vale');
  await expect(page.getByText('This meeting waits for an organiser')).toHaveCount(0);
  // A launch meeting's speaker is someone from the records, named by the organiser.
  await page.getByLabel('Find someone by name, phone or email').fill('a');
  const makeSpeaker = page.getByRole('button', { name: /^Make .+ the speaker$/ }).first();
  const speaker = (await makeSpeaker.getAttribute('aria-label'))!.replace(/^Make (.+) the speaker$/, '$1');
  await makeSpeaker.click();
  await expect(page.getByText(`Speaker: ${speaker}`)).toBeVisible();
  await screenHolds(page, 'a meeting with a long title');

  // A volunteer of the ward proposes a house meeting: it waits for approval.
  const host = await volunteer(browser, page, ward.id, uniqueName('Host'), PHONE);
  await host.page.goto('/');
  await expect(host.page.getByRole('heading', { name: /^Hello, / })).toBeVisible();
  await syncNow(host.page);
  const proposal = `House meeting ${letters(6)}`;
  await openMeetings(host.page);
  await host.page.getByRole('link', { name: 'New meeting' }).click();
  await expect(host.page.getByText('A meeting you propose waits for an organiser')).toBeVisible();
  await host.page.goBack();
  await makeMeeting(host.page, 'House meeting', proposal, wardName);
  await expect(host.page.getByText('This meeting waits for an organiser of its area to approve it.')).toBeVisible();
  await syncNow(host.page);

  // The organiser finds it waiting and approves it; the volunteer's phone hears.
  await syncNow(page);
  await openMeetings(page);
  await expect(page.getByRole('heading', { name: 'Waiting for approval' })).toBeVisible();
  await screenHolds(page, 'meetings');
  await page.getByRole('link', { name: proposal }).click();
  await page.getByRole('button', { name: 'Approve and trust this host' }).click();
  await expect(page.getByText('This meeting waits for an organiser of its area to approve it.')).toHaveCount(0);
  await syncNow(page);
  await syncNow(host.page);
  await expect(host.page.getByText('This meeting waits for an organiser of its area to approve it.')).toHaveCount(0);
  // Trusted now, the host's next meeting needs no approval (their session learns the role).
  await host.page.reload();
  await expect(host.page.getByRole('heading', { name: proposal, level: 1 })).toBeVisible();
  const next = `Second house meeting ${letters(6)}`;
  await makeMeeting(host.page, 'House meeting', next, wardName);
  await expect(host.page.getByText('This meeting waits for an organiser')).toHaveCount(0);
  await syncNow(host.page);

  // A meeting held last week: whom to follow up, by when, and the meeting that grew from it.
  await openMeetings(page);
  await page.getByRole('link', { name: /Damp, rents and repairs: a house meeting/ }).click();
  await expect(page.getByText(/^Arrange a one-to-one with each of the \d+ people who came, by /)).toBeVisible();
  await expect(page.getByRole('link', { name: /Led to\s*The evening buses: a house meeting/ })).toBeVisible();
  await screenHolds(page, 'a meeting held');
  const meetings = (await pullAll(page.request)).filter((r) => r.collection === 'meeting');
  const approved = meetings.find((m) => m.fields.title.value.text === proposal);
  expect(approved.fields.status.value.text).toBe('approved');
  expect(meetings.find((m) => m.fields.title.value.text === next).fields.status.value.text).toBe('approved');
  const roles = (await pullAll(page.request)).filter((r) => r.collection === 'role_assignment' && r.fields.role.value.text === 'host');
  expect(roles.some((r) => r.fields.user.value.id === approved.fields.host.value.id && r.area.value === ward.id)).toBe(true);
  expect(meetings.find((m) => m.fields.title.value.text === launch).area.value).toBe(vale.id);
  await host.context.close();
});

test('a host runs sign-in with no signal, reloads, leaves with the PIN, and the organiser sees everyone once', async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  await signIn(page);
  const { wardName } = await syntheticVale(page.request);
  await syncNow(page);
  await controlled(page);

  // Someone to invite, with a phone, added from the screens.
  const digits = String(Date.now()).slice(-3);
  const invited = uniqueName('Sam');
  await page.getByRole('link', { name: 'People' }).first().click();
  await page.getByLabel('Name', { exact: true }).fill(invited);
  await page.getByLabel('Phone (optional)').fill(`07700 900${digits}`);
  await chooseArea(page.getByLabel('Area'), wardName);
  await page.getByRole('button', { name: 'Save person' }).click();
  await expect(page.getByText(`Saved ${invited}.`)).toBeVisible();

  const title = `Tenants' evening ${letters(5)}`;
  await makeMeeting(page, 'House meeting', title, wardName);
  await page.getByLabel('Find someone by name, phone or email').fill(invited);
  await page.getByRole('button', { name: `Invite ${invited}` }).click();
  await expect(page.getByText(`${invited} is invited.`)).toBeVisible();
  await expect(page.getByText(/^0 came · 1 invited$/)).toBeVisible();
  await syncNow(page);
  await screenHolds(page, 'a meeting with an invitation');

  // Sign-in on the night, with no signal from the start.
  await page.getByLabel('Choose a PIN to leave sign-in (4 to 8 digits)').fill('12');
  await page.getByRole('button', { name: 'Start sign-in' }).click();
  await expect(page.locator('#kiosk-pin-problem')).toHaveText('The PIN must be 4 to 8 digits.');
  await page.getByLabel('Choose a PIN to leave sign-in (4 to 8 digits)').fill('2468');
  await page.getByRole('button', { name: 'Start sign-in' }).click();
  await expect(page.getByRole('heading', { name: `Welcome to ${title}` })).toBeVisible();
  await expect(page.getByRole('link', { name: 'People' })).toHaveCount(0);
  await context.setOffline(true);
  await screenHolds(page, 'sign-in');

  const signedIn = (n: number) => page.getByText(`${n} ${n === 1 ? 'person' : 'people'} signed in so far.`);
  const thanks = page.locator('.notice');

  // Someone new, typing as a person does; the time from the blank form to the next is reported.
  const newcomer = uniqueName('Nia');
  const started = Date.now();
  await page.getByLabel('Your name').pressSequentially(newcomer, { delay: 40 });
  // An email nobody else has: the drama phone ranges are shared with the demo's people.
  await page.getByLabel('Email', { exact: true }).pressSequentially(`${letters(8)}@example.invalid`, { delay: 40 });
  await page.getByLabel('Postcode').pressSequentially('ZZ9 9ZZ', { delay: 40 });
  await page.getByLabel('Email me').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(thanks).toHaveText('Thank you, you are signed in. Next person, please.');
  await expect(page.getByLabel('Your name')).toHaveValue('');
  console.log(`one kiosk sign-in, blank form to blank form with typing: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await expect(signedIn(1)).toBeVisible();

  // A form refused keeps everything typed, and says what to do beside the field.
  await page.getByLabel('Your name').fill('Kept Synthetic');
  await page.getByLabel('Email me').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#kiosk-email-problem')).toHaveText('Give an email address to be emailed, or untick Email me.');
  await expect(page.getByLabel('Your name')).toHaveValue('Kept Synthetic');
  await page.getByLabel('Email me').uncheck();
  // With no consent ticked, they are counted and nothing about them is kept.
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(thanks).toHaveText('Thank you, you are counted and we kept nothing about you. Next person, please.');
  await expect(signedIn(2)).toBeVisible();

  // The invited person comes back: matched by phone typed another way, asked first.
  await page.getByLabel('Your name').fill('S');
  await page.getByLabel('Mobile or phone number').fill(`+44 7700 900 ${digits}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Have we met before?' })).toBeVisible();
  await screenHolds(page, 'is it you');
  await page.getByRole('button', { name: `Yes, I am ${invited.split(' ')[0]}` }).click();
  await expect(thanks).toHaveText('Thank you, you are signed in. Next person, please.');
  await expect(signedIn(3)).toBeVisible();

  // Someone under 16: counted, with nothing else asked.
  await page.getByLabel('I am under 16').check();
  await expect(page.getByLabel('Your name')).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(thanks).toHaveText('Thank you, you are counted. Next person, please.');
  await expect(signedIn(4)).toBeVisible();

  // A family sharing one email: the second is asked, says they are new, and is kept apart.
  const family = `${letters(8)}@example.invalid`;
  const parent = uniqueName('Rhys');
  const child = uniqueName('Cai');
  for (const [who, n] of [[parent, 5], [child, 6]] as const) {
    await page.getByLabel('Your name').fill(who);
    await page.getByLabel('Email', { exact: true }).fill(family);
    await page.getByLabel('Email me').check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    if (n === 6) {
      await expect(page.getByRole('button', { name: `Yes, I am ${parent.split(' ')[0]}` })).toBeVisible();
      await page.getByRole('button', { name: 'No, I am new' }).click();
    }
    await expect(signedIn(n)).toBeVisible();
  }
  // The newcomer again under another email: the same name and postcode is flagged, not merged.
  await page.getByLabel('Your name').fill(newcomer);
  await page.getByLabel('Email', { exact: true }).fill(`${letters(8)}@example.invalid`);
  await page.getByLabel('Postcode').fill('zz9 9zz');
  await page.getByLabel('Email me').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(signedIn(7)).toBeVisible();
  // The rest of a busy evening, one after another.
  for (let n = 8; n <= 26; n++) {
    await page.getByLabel('Your name').fill(`Guest ${letters(7)}`);
    await page.getByLabel('Email', { exact: true }).fill(`${letters(10)}@example.invalid`);
    await page.getByLabel('Email me').check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(signedIn(n)).toBeVisible();
  }

  // A reload with no signal opens on sign-in again, with nothing lost.
  await page.reload();
  await expect(page.getByRole('heading', { name: `Welcome to ${title}` })).toBeVisible();
  await expect(signedIn(26)).toBeVisible();

  // Leaving needs the host's PIN.
  await page.getByRole('button', { name: 'Leave sign-in (host)' }).click();
  await page.getByLabel("The host's PIN").fill('1111');
  await page.getByRole('button', { name: 'Leave sign-in', exact: true }).click();
  await expect(page.locator('#kiosk-leave-pin-problem')).toHaveText('That is not the PIN. Sign-in stays on.');
  await page.getByLabel("The host's PIN").fill('2468');
  await page.getByRole('button', { name: 'Leave sign-in', exact: true }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(page.getByText('26 came · 25 walk-ins · 2 counted without details')).toBeVisible();
  await expect(page.getByText(`Maybe the same person as ${newcomer} (same name and postcode): check before following up.`).first()).toBeVisible();
  await expect(page.getByText('Agreed to texts.').or(page.getByText('Agreed to email.')).first()).toBeVisible();
  await screenHolds(page, 'a meeting after sign-in');

  // Back online: the server holds every attendance once, and nothing of the one who agreed to no contact.
  await context.setOffline(false);
  await syncNow(page);
  const records = await pullAll(page.request);
  const meeting = records.find((r) => r.collection === 'meeting' && r.fields.title.value.text === title);
  const attendances = records.filter((r) => r.collection === 'attendance' && r.fields.meeting.value.id === meeting.id);
  const attended = attendances.filter((a) => a.fields.status.value.text === 'attended');
  expect(attended.length).toBe(26);
  expect(attended.filter((a) => a.fields.anonymous?.value?.text === 'under_16').length).toBe(1);
  expect(attended.filter((a) => a.fields.anonymous?.value?.text === 'no_consent').length).toBe(1);
  const names = records.filter((r) => r.collection === 'person').map((p) => p.fields.name.value.text);
  expect(names).toContain(newcomer);
  expect(names.filter((n) => n === newcomer).length).toBe(2);
  const sharing = records.filter((r) => r.collection === 'person' && r.fields.email.value.text === family);
  expect(sharing.map((p) => p.fields.name.value.text).sort()).toEqual([child, parent].sort());
  expect(names).not.toContain('Kept Synthetic');
  const nia = records.find((r) => r.collection === 'person' && r.fields.name.value.text === newcomer);
  expect(nia.fields.source.value.text).toBe('meeting');
  expect(nia.fields.consent_email.value.map.method.text).toBe('meeting');
  expect(nia.fields.consent_sms.value).toBe('null');
});

test('people reply through a shared link without an account, the full meeting keeps a waiting list, and a second phone signs in by the code', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  await page.addInitScript(() => {
    (navigator as any).share = async (data: ShareData) => {
      (window as any).shared = data;
    };
  });
  await signIn(page);
  const { wardName } = await syntheticVale(page.request);
  await syncNow(page);

  // A meeting for one, its reply link shared from the screens.
  const title = `Small meeting ${letters(6)}`;
  await openMeetings(page);
  await page.getByRole('link', { name: 'New meeting' }).click();
  await page.getByLabel('Title').fill(title);
  await chooseArea(page.getByLabel('Area'), wardName);
  await page.getByLabel('Where').fill('A synthetic front room');
  await page.getByLabel('Starts').fill('2031-02-01T19:00');
  await page.getByLabel('How many fit (leave blank for no limit)').fill('1');
  await page.getByRole('button', { name: 'Save meeting' }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await syncNow(page);
  await page.getByRole('button', { name: 'Make the reply link' }).click();
  const link = await page.getByLabel(`Reply link for ${title}`).inputValue();
  expect(link).toContain('/rsvp/');
  await page.getByRole('button', { name: 'Share' }).click();
  const shared = await page.evaluate(() => (window as any).shared);
  expect(shared.url).toBe(link);
  expect(shared.text).toContain(title);
  await screenHolds(page, 'a meeting with its reply link');

  // Two people reply on their own phones, with no account: the second goes on the waiting list.
  const reply = async (name: string, address: string) => {
    const context = await browser.newContext(PHONE);
    const phone = await context.newPage();
    await phone.goto(link);
    await expect(phone.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    await expect(phone.getByText('We never show who else is coming.')).toBeVisible();
    return { context, phone, send: async () => {
      await phone.getByLabel('Your name').fill(name);
      await phone.getByLabel('Email', { exact: true }).fill(address);
      await phone.getByLabel('Email me').check();
      await phone.getByRole('button', { name: 'Reply' }).click();
    } };
  };
  const firstName = uniqueName('Ola');
  const secondName = uniqueName('Pat');
  const first = await reply(firstName, `${letters(8)}@example.invalid`);
  // A reply with no way to reach them is refused beside the fields, keeping the name.
  await first.phone.getByLabel('Your name').fill('Kept Name');
  await first.phone.getByRole('button', { name: 'Reply' }).click();
  await expect(first.phone.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(first.phone.getByLabel('Your name')).toHaveValue('Kept Name');
  await screenHolds(first.phone, 'replying, refused');
  await first.send();
  await expect(first.phone.getByText('Thank you, we look forward to seeing you there.')).toBeVisible();
  const second = await reply(secondName, `${letters(8)}@example.invalid`);
  await expect(second.phone.getByText(/This meeting is full/)).toBeVisible();
  await second.send();
  await expect(second.phone.getByText(/you are on the waiting list/)).toBeVisible();
  await screenHolds(second.phone, 'replied');

  // The organiser's phone hears both replies.
  await syncNow(page);
  await expect(page.getByText(/^0 came · 1 coming · 1 waiting$/)).toBeVisible();
  await expect(page.getByText('On the waiting list')).toBeVisible();

  // The first says they cannot come after all: the host gives the place to the one waiting.
  await page.getByRole('button', { name: `${firstName} cannot come` }).click();
  await expect(page.getByText(`A place is free. ${secondName} has waited longest for one: give it to them, then let them know.`)).toBeVisible();
  await screenHolds(page, 'a place come free');
  await page.getByRole('button', { name: `Give ${secondName} the place` }).click();
  await expect(page.getByText(/^0 came · 1 coming · 1 cannot come$/)).toBeVisible();
  await expect(page.getByText('A place is free.', { exact: false })).toHaveCount(0);
  await syncNow(page);

  // Sign-in shows a code; a phone that follows it signs itself in.
  await page.getByLabel('Choose a PIN to leave sign-in (4 to 8 digits)').fill('97531');
  await page.getByRole('button', { name: 'Start sign-in' }).click();
  await expect(page.getByRole('img', { name: 'A QR code for signing in on your own phone' })).toBeVisible();
  const signInLink: string = await page.evaluate(() => JSON.parse(localStorage.getItem('organise-kiosk')!).sign_in_link);
  expect(signInLink).toContain('/sign-in-at/');
  await first.phone.goto(signInLink);
  await first.phone.getByLabel('I am under 16').check();
  await first.phone.getByRole('button', { name: 'Sign in' }).click();
  await expect(first.phone.getByText('Thank you, you are counted as here. Enjoy the meeting.')).toBeVisible();
  // The kiosk hears it at its next sync.
  await expect(page.getByText('1 person signed in so far.')).toBeVisible({ timeout: 90_000 });

  // A reply link is refused, in words, once it is tampered with.
  await second.phone.goto(link.replace(/.$/, (c) => (c === '0' ? '1' : '0')));
  await expect(second.phone.getByText('This link does not work. Check it was copied whole, or ask whoever sent it for it again.')).toBeVisible();
  // A reply link whose meeting has started says so.
  await page.getByRole('button', { name: 'Leave sign-in (host)' }).click();
  await page.getByLabel("The host's PIN").fill('97531');
  await page.getByRole('button', { name: 'Leave sign-in', exact: true }).click();
  const past = `Last year's meeting ${letters(6)}`;
  await openMeetings(page);
  await page.getByRole('link', { name: 'New meeting' }).click();
  await page.getByLabel('Title').fill(past);
  await chooseArea(page.getByLabel('Area'), wardName);
  await page.getByLabel('Where').fill('A synthetic hall');
  await page.getByLabel('Starts').fill('2020-02-01T19:00');
  await page.getByRole('button', { name: 'Save meeting' }).click();
  await expect(page.getByRole('heading', { name: past, level: 1 })).toBeVisible();
  await syncNow(page);
  await page.getByRole('button', { name: 'Make the reply link' }).click();
  const over = await page.getByLabel(`Reply link for ${past}`).inputValue();
  await second.phone.goto(over);
  await expect(second.phone.getByText(/^This link no longer works: the meeting has started/)).toBeVisible();
  await first.context.close();
  await second.context.close();
});

test('a volunteer host prepares a phone and a tablet for sign-in, recognises someone of the ward they cannot see on both, and a phone signs in by the code while the kiosks have no signal', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  await signIn(page);
  const { ward, wardName } = await syntheticVale(page.request);
  await syncNow(page);

  // Someone the organiser met on a doorstep, in the ward: the host never sees their record.
  const digits = String(Date.now()).slice(-3);
  const known = uniqueName('Ffion');
  await page.getByRole('link', { name: 'People' }).first().click();
  await page.getByLabel('Name', { exact: true }).fill(known);
  await page.getByLabel('Phone (optional)').fill(`07700 900${digits}`);
  await chooseArea(page.getByLabel('Area'), wardName);
  await page.getByRole('button', { name: 'Save person' }).click();
  await expect(page.getByText(`Saved ${known}.`)).toBeVisible();
  await syncNow(page);

  // A volunteer proposes a house meeting, and the organiser approves it.
  const host = await volunteer(browser, page, ward.id, uniqueName('Host'), PHONE);
  await host.page.goto('/');
  await syncNow(host.page);
  const title = `Kitchen table ${letters(6)}`;
  await makeMeeting(host.page, 'House meeting', title, wardName);
  await syncNow(host.page);
  await syncNow(page);
  await openMeetings(page);
  await page.getByRole('link', { name: title }).click();
  await page.getByRole('button', { name: 'Approve meeting', exact: true }).click();
  await syncNow(page);
  await syncNow(host.page);
  await expect(host.page.getByText('This meeting waits for an organiser of its area to approve it.')).toHaveCount(0);

  // With signal, the host prepares the phone for the night, then starts sign-in.
  await expect(host.page.getByText('Not prepared: only people on this phone will be recognised.')).toBeVisible();
  await host.page.getByRole('button', { name: 'Prepare sign-in' }).click();
  await expect(host.page.getByText(/^Prepared .+: \d+ people can be recognised\.$/)).toBeVisible();
  await screenHolds(host.page, 'a meeting prepared for sign-in');
  await host.page.getByLabel('Choose a PIN to leave sign-in (4 to 8 digits)').fill('8642');
  await host.page.getByRole('button', { name: 'Start sign-in' }).click();
  await expect(host.page.getByRole('img', { name: 'A QR code for signing in on your own phone' })).toBeVisible();
  const signInLink: string = await host.page.evaluate(() => JSON.parse(localStorage.getItem('organise-kiosk')!).sign_in_link);
  // A tablet at the same door, the host signed in on it too, prepared the same way.
  const tabletContext = await browser.newContext({ viewport: { width: 800, height: 1280 }, hasTouch: true });
  const tablet = await tabletContext.newPage();
  await signIn(tablet, host.email, VOLUNTEER_PASSWORD);
  await syncNow(tablet);
  await openMeetings(tablet);
  await tablet.getByRole('link', { name: title }).click();
  await tablet.getByRole('button', { name: 'Prepare sign-in' }).click();
  await expect(tablet.getByText(/^Prepared .+: \d+ people can be recognised\.$/)).toBeVisible();
  await tablet.getByLabel('Choose a PIN to leave sign-in (4 to 8 digits)').fill('8642');
  await tablet.getByRole('button', { name: 'Start sign-in' }).click();
  await expect(tablet.getByRole('heading', { name: `Welcome to ${title}` })).toBeVisible();
  await host.context.setOffline(true);
  await tabletContext.setOffline(true);
  const signedIn = (n: number) => host.page.getByText(`${n} ${n === 1 ? 'person' : 'people'} signed in so far.`);
  const thanks = host.page.locator('.notice');

  // Ffion signs in on the kiosk, her phone typed another way: recognised, asked, and she
  // agrees to texts.
  await host.page.getByLabel('Your name').fill('Ffion');
  await host.page.getByLabel('Mobile or phone number').fill(`+44 (0)7700 900 ${digits}`);
  await host.page.getByLabel('Text me').check();
  await host.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(host.page.getByRole('heading', { name: 'Have we met before?' })).toBeVisible();
  await host.page.getByRole('button', { name: `Yes, I am ${known.split(' ')[0]}` }).click();
  await expect(thanks).toHaveText('Thank you, you are signed in. Next person, please.');
  await expect(signedIn(1)).toBeVisible();

  // At the same time a guest signs in on their own phone by the code.
  const guestContext = await browser.newContext(PHONE);
  const guest = await guestContext.newPage();
  await guest.goto(signInLink);
  const guestName = uniqueName('Gwen');
  await guest.getByLabel('Your name').fill(guestName);
  await guest.getByLabel('Email', { exact: true }).fill(`${letters(8)}@example.invalid`);
  await guest.getByLabel('Email me').check();
  await guest.getByRole('button', { name: 'Sign in' }).click();
  await expect(guest.getByText(/^Thank you/)).toBeVisible();

  // Ffion signs in again on the kiosk: one attendance, nothing more.
  await host.page.getByLabel('Your name').fill('Ffion');
  await host.page.getByLabel('Mobile or phone number').fill(`07700900${digits}`);
  await host.page.getByRole('button', { name: 'Sign in' }).click();
  await host.page.getByRole('button', { name: `Yes, I am ${known.split(' ')[0]}` }).click();
  await expect(thanks).toHaveText('You were signed in already. Next person, please.');
  await expect(signedIn(1)).toBeVisible();

  // In the queue at the tablet, Ffion signs in there as well, before either device has signal.
  await tablet.getByLabel('Your name').fill('Ffion');
  await tablet.getByLabel('Mobile or phone number').fill(`07700 900${digits}`);
  await tablet.getByRole('button', { name: 'Sign in' }).click();
  await tablet.getByRole('button', { name: `Yes, I am ${known.split(' ')[0]}` }).click();
  await expect(tablet.locator('.notice')).toHaveText('Thank you, you are signed in. Next person, please.');

  // Signal comes back: each kiosk hears the other and the guest, counting Ffion once, and
  // leaving forgets what was prepared.
  await tabletContext.setOffline(false);
  await host.context.setOffline(false);
  await expect(tablet.getByText('2 people signed in so far.')).toBeVisible({ timeout: 90_000 });
  await expect(signedIn(2)).toBeVisible({ timeout: 90_000 });
  await host.page.getByRole('button', { name: 'Leave sign-in (host)' }).click();
  await host.page.getByLabel("The host's PIN").fill('8642');
  await host.page.getByRole('button', { name: 'Leave sign-in', exact: true }).click();
  await expect(host.page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(host.page.getByText('Not prepared: only people on this phone will be recognised.')).toBeVisible();
  await syncNow(host.page);

  // The organiser sees Ffion came, once, as herself, with the texts she agreed to; the host
  // was never handed her record.
  await syncNow(page);
  const records = await pullAll(page.request);
  const meeting = records.find((r) => r.collection === 'meeting' && r.fields.title.value.text === title);
  const attended = records.filter(
    (r) => r.collection === 'attendance' && r.fields.meeting.value.id === meeting.id && r.fields.status.value.text === 'attended',
  );
  const ffion = records.filter((r) => r.collection === 'person' && r.fields.name.value.text === known);
  expect(ffion.length).toBe(1);
  // One entry from each kiosk, counted as one person below.
  expect(attended.filter((a) => a.fields.matched?.value?.id === ffion[0].id).length).toBe(2);
  expect(attended.length).toBe(3);
  expect(ffion[0].fields.consent_sms.value.map.method.text).toBe('meeting');
  const hostRecords = await pullAll(host.page.request);
  expect(hostRecords.some((r) => r.collection === 'person' && r.fields.name.value.text === known)).toBe(false);
  await openMeetings(page);
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByText(/^2 came/)).toBeVisible();
  await expect(page.getByText(known)).toBeVisible();
  await guestContext.close();
  await tabletContext.close();
  await host.context.close();
});
