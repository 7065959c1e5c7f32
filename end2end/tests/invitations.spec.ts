// Bringing people in from the screens alone, at 360x640: an organiser invites a volunteer
// and a house-meeting host, sends each link through the share sheet or a copy, and each
// joins on their own phone, the volunteer working the walk list the organiser then gives
// them; a withdrawn link, a used link and a replaced link each say why
// they no longer work.
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  checkControls,
  chooseArea,
  letters,
  noAxeViolations,
  noSidewaysScroll,
  signIn,
  syncNow,
  syntheticVale,
  uniqueName,
} from './support';

const PHONE = { viewport: { width: 360, height: 640 }, hasTouch: true };

/** Makes an invitation on the organiser's Invite people screen; returns its link. */
async function invite(page: Page, name: string, role: string, area: string): Promise<string> {
  await page.getByLabel('Their name').fill(name);
  await page.getByLabel('Role').selectOption({ label: role });
  await chooseArea(page.getByLabel('Area'), area);
  await page.getByRole('button', { name: 'Make invitation link' }).click();
  await expect(page.getByRole('heading', { name: `The invitation for ${name} is ready.` })).toBeVisible();
  return page.getByLabel(`Invitation link for ${name}`).inputValue();
}

/** Opens `link` on a new phone with no one signed in. */
async function newPhone(browser: Browser, link: string) {
  const context = await browser.newContext(PHONE);
  const phone = await context.newPage();
  await phone.goto(link);
  return { context, phone };
}

test('an organiser invites a volunteer and a host from the app, each joins on their own phone, and the volunteer knocks on their first door', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  // A share sheet, as a phone has one: it keeps what it was handed.
  await page.addInitScript(() => {
    (navigator as any).share = async (data: ShareData) => {
      (window as any).shared = data;
    };
  });
  await signIn(page);
  const { wardName } = await syntheticVale(page.request);
  await syncNow(page);
  await page.getByRole('link', { name: 'Invite people' }).click();
  await expect(page.getByRole('heading', { name: 'Invite people', level: 1 })).toBeVisible();

  // Nothing typed is lost when the name is refused, and the problem sits beside its field.
  await page.getByRole('button', { name: 'Make invitation link' }).click();
  const nameField = page.getByLabel('Their name');
  await expect(nameField).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#invite-name-problem')).not.toBeEmpty();

  const vera = uniqueName('Vera');
  const veraLink = await invite(page, vera, 'Volunteer', wardName);
  expect(veraLink).toMatch(/\/join\/[A-Za-z0-9_-]{20,}$/);
  await page.getByRole('button', { name: 'Share link' }).click();
  const shared = await page.evaluate(() => (window as any).shared);
  expect(shared.url).toBe(veraLink);
  expect(shared.text).toContain(wardName);
  expect(shared.text).toContain('as volunteer');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByText('Link copied.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(veraLink);
  const invitations = page.getByRole('list', { name: 'Invitations' });
  await expect(invitations).toContainText(vera);
  await expect(invitations).toContainText(`Volunteer in ${wardName}`);
  await noSidewaysScroll(page, 'invite people');
  await checkControls(page, 'invite people');
  await noAxeViolations(page, 'invite people');

  const hana = uniqueName('Hana');
  const hanaLink = await invite(page, hana, 'House-meeting host', wardName);
  expect(hanaLink).not.toBe(veraLink);

  // Vera, on her own phone: a weak password is refused beside its field, keeping the rest.
  const { context: veraPhone, phone: v } = await newPhone(browser, veraLink);
  await expect(v.getByText(`You are invited as Volunteer in ${wardName}.`)).toBeVisible();
  await expect(v.getByLabel('Your name')).toHaveValue(vera);
  await noSidewaysScroll(v, 'join');
  await checkControls(v, 'join');
  await noAxeViolations(v, 'join');
  const veraEmail = `${vera.split(' ')[1].toLowerCase()}@example.invalid`;
  await v.getByLabel('Your email').fill(veraEmail);
  await v.getByLabel('Choose a password').fill('short');
  await v.getByRole('button', { name: 'Join and sign in' }).click();
  await expect(v.getByLabel('Choose a password')).toHaveAttribute('aria-invalid', 'true');
  await expect(v.locator('#join-password-problem')).not.toBeEmpty();
  await expect(v.getByLabel('Your email')).toHaveValue(veraEmail);
  await v.getByLabel('Choose a password').fill('a long synthetic volunteer password');
  await v.getByRole('button', { name: 'Join and sign in' }).click();
  // A volunteer lands on their walk lists, signed in and syncing.
  await expect(v.getByRole('heading', { name: 'Walk lists' })).toBeVisible();
  await expect(v.getByRole('button', { name: 'Sync now' })).toBeVisible();

  // Hana, on hers, lands at the start.
  const { context: hanaPhone, phone: h } = await newPhone(browser, hanaLink);
  await expect(h.getByText(`You are invited as House-meeting host in ${wardName}.`)).toBeVisible();
  await h.getByLabel('Your email').fill(`${hana.split(' ')[1].toLowerCase()}@example.invalid`);
  await h.getByLabel('Choose a password').fill('a long synthetic host password');
  await h.getByRole('button', { name: 'Join and sign in' }).click();
  await expect(h.getByRole('heading', { name: `Hello, ${hana}` })).toBeVisible();
  await hanaPhone.close();

  // The organiser sees both joined; a used link says so to whoever opens it next.
  await page.reload();
  await expect(invitations.getByRole('listitem').filter({ hasText: vera })).toContainText('Joined');
  await expect(invitations.getByRole('listitem').filter({ hasText: hana })).toContainText('Joined');
  const { context: later, phone: again } = await newPhone(browser, veraLink);
  await expect(again.getByRole('alert')).toHaveText(/already been used to join/);
  await expect(again.getByLabel('Your email')).toHaveCount(0);
  await later.close();

  // From there to Vera's first door, from the screens alone: the organiser gives her a walk
  // list of the ward, and it reaches her phone, where she knocks on its first door.
  await page.goto('/lists');
  await syncNow(page);
  await page.getByRole('link', { name: 'New walk list' }).click();
  const listName = `First shift ${letters(6)}`;
  await page.getByLabel('Name', { exact: true }).fill(listName);
  await chooseArea(page.getByLabel('Area'), wardName);
  await page.getByRole('checkbox', { name: vera }).check();
  await page.getByRole('button', { name: 'Save walk list' }).click();
  await expect(page.getByRole('heading', { name: listName })).toBeVisible();
  await syncNow(page);
  await syncNow(v);
  await v.getByRole('link', { name: new RegExp(listName) }).click();
  await v.getByRole('link', { name: 'Next door' }).click();
  await expect(v.locator('.door__progress')).toContainText('Door 1 of');
  await v.getByRole('button', { name: 'Not home' }).click();
  await expect(v.locator('.door__progress')).toContainText('Door 2 of');
  await syncNow(v);
  await veraPhone.close();
});

test('a withdrawn link says so, and a new link replaces one that was lost', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page);
  const { wardName } = await syntheticVale(page.request);
  await syncNow(page);
  await page.goto('/team');

  const wyn = uniqueName('Wyn');
  const wynLink = await invite(page, wyn, 'Volunteer', wardName);
  const row = page.getByRole('list', { name: 'Invitations' }).getByRole('listitem').filter({ hasText: wyn });
  // Cancel keeps it; confirming withdraws it.
  await row.getByRole('button', { name: `Withdraw the invitation for ${wyn}` }).click();
  await expect(row.getByRole('alert')).toContainText('Its link will stop working');
  await row.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toContainText('Waiting');
  await row.getByRole('button', { name: `Withdraw the invitation for ${wyn}` }).click();
  await row.getByRole('button', { name: 'Withdraw it' }).click();
  await expect(page.getByText(`The invitation for ${wyn} was withdrawn`)).toBeVisible();
  await expect(row).toContainText('Withdrawn');
  await expect(row.getByRole('button')).toHaveCount(0);
  await noSidewaysScroll(page, 'invitations after a withdrawal');
  await noAxeViolations(page, 'invitations after a withdrawal');
  const { context: wynPhone, phone: w } = await newPhone(browser, wynLink);
  await expect(w.getByRole('alert')).toHaveText(/was withdrawn/);
  await expect(w.getByLabel('Your email')).toHaveCount(0);
  await noSidewaysScroll(w, 'a withdrawn link');
  await noAxeViolations(w, 'a withdrawn link');
  await wynPhone.close();

  // A lost link: a new one is made, and only the new one works.
  const lost = uniqueName('Lowri');
  const lostLink = await invite(page, lost, 'Volunteer', wardName);
  await page
    .getByRole('list', { name: 'Invitations' })
    .getByRole('button', { name: `New link for ${lost}` })
    .click();
  await expect(page.getByLabel(`Invitation link for ${lost}`)).not.toHaveValue(lostLink);
  const newLink = await page.getByLabel(`Invitation link for ${lost}`).inputValue();
  const { context: oldPhone, phone: o } = await newPhone(browser, lostLink);
  await expect(o.getByRole('alert')).toHaveText(/not a working invitation link/);
  await oldPhone.close();
  const { context: newPhoneContext, phone: n } = await newPhone(browser, newLink);
  await expect(n.getByLabel('Your name')).toHaveValue(lost);
  await newPhoneContext.close();
});
