// The organiser's week from the screens alone, at 360x640: an organiser logs one-to-ones with
// no signal (someone new, someone found by search, the same person twice in a day, one
// back-dated, one flagged as logged late), sees the week's count and the trend move and a next
// step come due, and marks it done; back online, the constituency's admin sees the organiser's
// week beside their target and sets a new one from next week; a volunteer's pull holds no
// one-to-one.
import { expect, test, type Page } from '@playwright/test';
import {
  controlled,
  letters,
  peopleNamed,
  pullAll,
  screenHolds,
  signIn,
  syncNow,
  syntheticVale,
  uniqueName,
  volunteer,
} from './support';

const PHONE = { viewport: { width: 360, height: 640 }, hasTouch: true };
const adminEmail = process.env.ORGANISE_DEMO_ADMIN_EMAIL!;
const adminPassword = process.env.ORGANISE_DEMO_ADMIN_PASSWORD!;

/** Today in London, `days` from now, as a date field writes it. */
function londonDay(days = 0): string {
  const at = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(at);
}

/** How many days since this week's Monday (0 on a Monday), in London. */
function daysSinceMonday(): number {
  const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short' }).format(new Date());
  return ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(weekday);
}

async function openWeek(page: Page) {
  await page.getByRole('link', { name: 'Organise', exact: true }).click();
  await page.getByRole('link', { name: 'My week', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'My week', level: 1 })).toBeVisible();
}

/** The count on the week's card. */
async function weekCount(page: Page): Promise<number> {
  return Number(await page.locator('.week-card__count').getAttribute('data-count'));
}

/** Logs a one-to-one with someone found by `search`, held `days` from today. */
async function logWith(page: Page, search: string, name: string, days = 0, nextStep?: string) {
  await openWeek(page);
  await page.getByRole('link', { name: 'Log a one-to-one' }).click();
  await page.getByLabel('Find them by name, phone or email').fill(search);
  await page.getByRole('button', { name }).click();
  await expect(page.getByText(name, { exact: true })).toBeVisible();
  await page.getByLabel('When was it held?').fill(londonDay(days));
  await page.getByLabel('Kind of one-to-one').selectOption({ label: 'Keeping in touch' });
  if (nextStep) {
    await page.getByLabel('Next step agreed (optional)').fill(nextStep);
    await page.getByLabel('Next step due by (optional)').fill(londonDay(0));
  }
  await page.getByRole('button', { name: 'Save one-to-one' }).click();
  await expect(page.getByRole('heading', { name: 'My week', level: 1 })).toBeVisible();
}

test("an organiser's week: one-to-ones offline, the count and trend, next steps, and a lead's view", async ({ page, browser }) => {
  test.setTimeout(240_000);
  await page.setViewportSize(PHONE.viewport);
  await signIn(page);
  const { ward, wardName } = await syntheticVale(page.request);
  await syncNow(page);
  await controlled(page);
  await openWeek(page);
  const before = await weekCount(page);
  await expect(page.locator('.week-card__count')).toContainText(`${before} of 15 one-to-ones`);

  await page.context().setOffline(true);

  // A refused form says why beside each field and keeps what was typed.
  await page.getByRole('link', { name: 'Log a one-to-one' }).click();
  await expect(page.getByRole('heading', { name: 'Log a one-to-one', level: 1 })).toBeVisible();
  await page.getByLabel('Their story, in their words (optional)').fill('The damp came back every winter.');
  await page.getByRole('button', { name: 'Save one-to-one' }).click();
  await expect(page.getByLabel('Find them by name, phone or email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('How far may their story travel?')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Their story, in their words (optional)')).toHaveValue('The damp came back every winter.');

  // Someone new, with their story and a next step due today.
  const surname = letters(40);
  const newName = `Ffion ${surname[0].toUpperCase()}${surname.slice(1)}`;
  await page.getByLabel('Someone new').check();
  await page.getByLabel('Their name').fill(newName);
  await page.getByLabel('Their phone (optional)').fill('07700 900123');
  await page.getByLabel('Their area').selectOption({ label: wardName });
  await page.getByLabel('How far may their story travel?').selectOption({ label: 'Shared without their name' });
  await page.getByRole('group', { name: /^Interest in acting/ }).locator('label', { hasText: '4' }).click();
  await page.getByLabel('Next step agreed (optional)').fill('Bring two neighbours to the house meeting');
  await page.getByLabel('Next step due by (optional)').fill(londonDay(0));
  await screenHolds(page, 'the one-to-one form');
  await page.getByRole('button', { name: 'Save one-to-one' }).click();
  await expect(page.getByRole('heading', { name: 'My week', level: 1 })).toBeVisible();
  await expect.poll(() => weekCount(page)).toBe(before + 1);
  await expect(page.getByText('Bring two neighbours to the house meeting')).toBeVisible();
  await screenHolds(page, 'My week');

  // The same person again the same day counts once; someone else today counts.
  await logWith(page, surname.slice(0, 12), newName);
  await expect.poll(() => weekCount(page)).toBe(before + 1);
  const other = uniqueName('Gareth');
  await page.getByRole('link', { name: 'Log a one-to-one' }).click();
  await page.getByLabel('Someone new').check();
  await page.getByLabel('Their name').fill(other);
  await page.getByLabel('Their area').selectOption({ label: wardName });
  await page.getByRole('button', { name: 'Save one-to-one' }).click();
  await expect.poll(() => weekCount(page)).toBe(before + 2);

  // Back-dated by three days: this week's count moves only if that day is in this week.
  const inThisWeek = daysSinceMonday() >= 3 ? 1 : 0;
  // This one from their page, where the form starts with them.
  await page.getByRole('link', { name: 'Organise', exact: true }).click();
  await page.getByRole('link', { name: 'People' }).first().click();
  await (await peopleNamed(page, other)).getByRole('link', { name: other }).click();
  await page.getByRole('link', { name: 'Log a one-to-one with them' }).click();
  await expect(page.getByText(other, { exact: true })).toBeVisible();
  await page.getByLabel('When was it held?').fill(londonDay(-3));
  await page.getByRole('button', { name: 'Save one-to-one' }).click();
  await expect(page.getByRole('heading', { name: 'My week', level: 1 })).toBeVisible();
  await expect.poll(() => weekCount(page)).toBe(before + 2 + inThisWeek);

  // Twenty days ago: the form says it will be flagged as logged late; it counts in its week.
  await page.getByRole('link', { name: 'Log a one-to-one' }).click();
  await page.getByLabel('Find them by name, phone or email').fill(surname.slice(0, 12));
  await page.getByRole('button', { name: newName }).click();
  await page.getByLabel('When was it held?').fill(londonDay(-20));
  await expect(page.getByText('More than two weeks ago: it will count, flagged as logged late.')).toBeVisible();
  // A day in the future is refused beside the field.
  await page.getByLabel('When was it held?').fill(londonDay(2));
  await page.getByRole('button', { name: 'Save one-to-one' }).click();
  await expect(page.getByLabel('When was it held?')).toHaveAttribute('aria-invalid', 'true');
  // So is a next step due before the day it was agreed.
  await page.getByLabel('When was it held?').fill(londonDay(-20));
  await page.getByLabel('Next step agreed (optional)').fill('Call back about the petition');
  await page.getByLabel('Next step due by (optional)').fill(londonDay(-21));
  await page.getByRole('button', { name: 'Save one-to-one' }).click();
  await expect(page.getByLabel('Next step due by (optional)')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('The next step cannot be due before the day the one-to-one was held.')).toBeVisible();
  await expect(page.getByLabel('When was it held?')).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Next step due by (optional)').fill(londonDay(-13));
  await page.getByRole('button', { name: 'Save one-to-one' }).click();
  await expect(page.getByRole('heading', { name: 'My week', level: 1 })).toBeVisible();
  await expect.poll(() => weekCount(page)).toBe(before + 2 + inThisWeek);
  // Its next step, due thirteen days ago, is overdue.
  await expect(page.getByText('Call back about the petition')).toBeVisible();
  await expect(page.locator('.next-step', { hasText: 'Call back about the petition' })).toContainText('Overdue since');
  // The trend's table (for a screen reader) holds the week of twenty days ago with one more.
  const trend = page.getByRole('table', { name: 'The last twelve weeks' });
  await expect(trend.getByRole('row')).toHaveCount(13);

  // The next step due today is marked done and leaves the list.
  await page.getByRole('button', { name: `Mark done: Bring two neighbours to the house meeting, with ${newName}` }).click();
  await expect(page.getByText('Bring two neighbours to the house meeting')).toHaveCount(0);

  // Back online: everything reaches the server.
  await page.context().setOffline(false);
  await syncNow(page);
  const pulled = await pullAll(page.request);
  const idOf = (name: string) => pulled.find((r) => r.collection === 'person' && r.fields.name.value.text === name)?.id;
  const withThem = (name: string) =>
    pulled.filter((r) => r.collection === 'one_to_one' && r.fields.person.value.id === idOf(name)).map((r) => r.fields.held_on.value.text).sort();
  expect(withThem(newName)).toEqual([londonDay(-20), londonDay(0), londonDay(0)]);
  expect(withThem(other)).toEqual([londonDay(-3), londonDay(0)]);

  // The constituency's admin, on a laptop, sees the organiser's week and sets a new target.
  const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const admin = await laptop.newPage();
  await signIn(admin, adminEmail, adminPassword);
  await syncNow(admin);
  await openWeek(admin);
  const team = admin.getByRole('table').filter({ hasText: 'Organiser' });
  await expect(team).toContainText(`${before + 2 + inThisWeek} of 15 one-to-ones`);
  // The organiser's own row: other organisers of the constituency (one a test invited, say)
  // have theirs.
  const theirRow = team.getByRole('row').filter({ hasText: 'Demo Organiser' });
  const field = theirRow.getByLabel('Weekly target for Demo Organiser');
  await field.fill('0');
  await theirRow.getByRole('button', { name: 'Set' }).click();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await field.fill('12');
  await theirRow.getByRole('button', { name: 'Set' }).click();
  await expect(admin.getByText(/^Demo Organiser's target is 12 a week from/)).toBeVisible();
  await screenHolds(admin, "a lead organiser's week");
  await syncNow(admin);
  await laptop.close();

  // This week keeps its target of 15 on the organiser's phone; the new one is next week's.
  await syncNow(page);
  await openWeek(page);
  await expect(page.locator('.week-card__count')).toContainText('of 15 one-to-ones');

  // A volunteer in the ward pulls no one-to-one, though one is with someone in their ward.
  const helper = await volunteer(browser, page, ward.id, uniqueName('Volunteer'));
  const seen = await pullAll(helper.page.request);
  expect(seen.filter((r) => r.collection === 'one_to_one')).toHaveLength(0);
  await helper.context.close();
});
