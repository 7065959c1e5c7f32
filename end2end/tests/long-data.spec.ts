// Every screen with long data, on the narrowest phones: a 99-letter name and a 150-character
// list name, entered through the screens alone, then every screen visited at 320 and 360 px
// wide (an admin's screens for the person too). None may scroll sideways, axe-core finds no
// violation on any, the bars leave the page most of the screen, and a form's Save button is
// drawn where it can be tapped.
import { expect, test, type Page } from '@playwright/test';
import {
  chooseArea,
  letters,
  noAxeViolations,
  noSidewaysScroll,
  signIn,
  syncNow,
  syntheticVale,
} from './support';

const WIDTHS = [320, 360];

/** One word of `n` letters, capitalised: a name no screen can break between words. */
function longWord(n: number): string {
  const word = letters(n);
  return word[0].toUpperCase() + word.slice(1);
}

/** The checks every screen passes at each width. */
async function checkScreen(page: Page, screen: string) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 640 });
    const where = `${screen} at ${width} px`;
    await noSidewaysScroll(page, where);
    // The app bar and the sync bar together keep to a fifth of the screen's height.
    const bars = await page.evaluate(() =>
      [...document.querySelectorAll('.app-bar, .sync-bar')].reduce((sum, e) => sum + e.getBoundingClientRect().height, 0),
    );
    expect(bars, `${where}: the bars are ${bars} px tall`).toBeLessThanOrEqual(128);
    // Every button is drawn within the screen's width, where a thumb can reach it.
    const outside = await page.evaluate(() =>
      [...document.querySelectorAll('main button, main [type=submit]')]
        .filter((b) => (b as HTMLElement).offsetParent !== null)
        .filter((b) => b.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .map((b) => (b.textContent ?? '').trim()),
    );
    expect(outside, `${where}: buttons drawn off the screen`).toEqual([]);
  }
  await page.setViewportSize({ width: 360, height: 640 });
  await noAxeViolations(page, screen);
}

test('every screen holds long names without scrolling sideways, and passes axe', async ({ page, browser }) => {
  test.setTimeout(300_000);
  await signIn(page);
  const { wardName } = await syntheticVale(page.request);
  await syncNow(page);
  await checkScreen(page, 'start');

  // A person with a 99-character name (a name may hold 100), most of it one word, added on
  // the People screen.
  const surname = longWord(95);
  const person = `Zed ${surname}`;
  expect(person).toHaveLength(99);
  await page.goto('/people');
  await page.getByLabel('Name', { exact: true }).fill(person);
  await chooseArea(page.getByLabel('Area'), wardName);
  await page.getByRole('button', { name: 'Save person' }).click();
  await expect(page.getByText(`Saved ${person}.`)).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search by name, phone, email or postcode' }).fill(surname.toLowerCase());
  await expect(page.getByRole('list', { name: 'People' }).getByText(person)).toBeVisible();
  await checkScreen(page, 'People');
  await page.getByRole('list', { name: 'People' }).getByText(person).click();
  await expect(page.getByRole('heading', { name: person })).toBeVisible();
  await checkScreen(page, 'a person');

  // A walk list with a 150-character name, holding them.
  await page.goto('/lists/new');
  const listName = `${longWord(60)} ${longWord(89)}`;
  expect(listName).toHaveLength(150);
  await page.getByLabel('Name', { exact: true }).fill(listName);
  await chooseArea(page.getByLabel('Area'), wardName);
  await checkScreen(page, 'new walk list');
  await page.getByRole('button', { name: 'Save walk list' }).click();
  await expect(page.getByRole('heading', { name: listName })).toBeVisible();
  await checkScreen(page, 'a walk list');
  await page.goto('/lists');
  await expect(page.getByRole('link', { name: new RegExp(listName) })).toBeVisible();
  await checkScreen(page, 'walk lists');

  // Their door, with the conversation form open.
  await page.getByRole('link', { name: new RegExp(listName) }).click();
  const row = page.getByRole('list', { name: 'Doors in walking order' }).getByRole('listitem').filter({ hasText: person });
  while (!(await row.count())) {
    await page.getByRole('button', { name: /^Show \d+ more doors?$/ }).click();
  }
  await row.getByRole('link').click();
  await expect(page.getByRole('button', { name: `Talk to ${person}` })).toBeVisible();
  await checkScreen(page, 'a door');
  await page.getByRole('button', { name: `Talk to ${person}` }).click();
  await expect(page.getByRole('heading', { name: `Conversation with ${person}` })).toBeFocused();
  await page.getByLabel('Other issues').fill(longWord(80));
  await checkScreen(page, 'the conversation form');

  for (const [path, screen] of [
    ['/results', 'listening results'],
    ['/conflicts', 'conflicts'],
    ['/rejected', 'rejected changes'],
    ['/settings', 'settings'],
    ['/week', 'my week'],
    ['/one-to-ones/new', 'the one-to-one form'],
    ['/ladder', 'the ladder'],
    ['/map', 'the community map'],
    ['/volunteers', 'finding volunteers'],
    ['/training', 'training'],
    ['/campaigns', 'campaigns'],
    ['/campaigns/new', 'a new campaign'],
    ['/people/duplicates', 'possible duplicates'],
    ['/meetings', 'meetings'],
  ]) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await checkScreen(page, screen);
  }

  // An invitation for someone with the long name, and its join page on another phone.
  await page.goto('/team');
  await page.getByLabel('Their name').fill(person);
  await chooseArea(page.getByLabel('Area'), wardName);
  await page.getByRole('button', { name: 'Make invitation link' }).click();
  const link = await page.getByLabel(`Invitation link for ${person}`).inputValue();
  await checkScreen(page, 'invite people');
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, hasTouch: true });
  const phone = await context.newPage();
  await phone.goto(link);
  await expect(phone.getByLabel('Your name')).toHaveValue(person);
  await checkScreen(phone, 'join');
  await phone.goto('/sign-in');
  await checkScreen(phone, 'sign in');
  await context.close();

  // An admin's screens for the person: their page with their data and the erasure asked
  // about, their data as a page, and the audit log narrowed to them.
  const admin = await (await browser.newContext({ viewport: { width: 360, height: 640 } })).newPage();
  await signIn(admin, process.env.ORGANISE_DEMO_ADMIN_EMAIL!, process.env.ORGANISE_DEMO_ADMIN_PASSWORD!);
  await syncNow(admin);
  await admin.goto('/people');
  await admin.getByRole('searchbox', { name: 'Search by name, phone, email or postcode' }).fill(surname.toLowerCase());
  await admin.getByRole('list', { name: 'People' }).getByText(person).click();
  await admin.getByRole('button', { name: `Erase ${person}…` }).click();
  await expect(admin.getByText(`Erasing ${person} removes for good`)).toBeVisible();
  await checkScreen(admin, "a person, for an admin, erasure asked about");
  await admin.getByRole('button', { name: 'Make a link for them to withdraw consent' }).click();
  await expect(admin.getByLabel(`Link for ${person} to withdraw consent`)).toBeVisible();
  await checkScreen(admin, 'a person, for an admin, with a consent link');
  await admin.getByRole('link', { name: 'Read their data, to print or save' }).click();
  await expect(admin.getByRole('heading', { name: 'Their record' })).toBeVisible();
  await checkScreen(admin, "a person's data as a page");
  await admin.getByRole('link', { name: 'Back to their page' }).click();
  await admin.getByRole('link', { name: 'What has been done about them (audit log)' }).click();
  await expect(admin.getByText(`About ${person}`).first()).toBeVisible();
  await checkScreen(admin, 'the audit log');
  await admin.context().close();
});
