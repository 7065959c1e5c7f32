// Long lists at 360x640, through the screens alone: the organiser's People screen holds the
// demo's synthetic constituency (hundreds of people) and a walk list of all of it holds
// hundreds of doors. Both show fifty at a time, say how many there are in all, and never
// scroll sideways.
import { expect, test } from '@playwright/test';
import { letters, noSidewaysScroll, signIn, syncNow, chooseArea } from './support';

const PAGE = 50;

/** A count as the screens write it, read back: "1,204" is 1204. */
const number = (text: string) => Number(text.replaceAll(',', ''));

test('People shows fifty at a time, finds someone by name or phone, and counts them all', async ({ page }) => {
  await signIn(page);
  await page.goto('/people');
  await syncNow(page);
  const summary = page.getByRole('status').filter({ hasText: /(person|people) (on this phone|found)\./ });
  await expect(summary).toHaveText(/^[\d,]+ people on this phone\.$/);
  const total = number((await summary.textContent())!.match(/^([\d,]+)/)![1]);
  expect(total, 'the demo holds more people than one page').toBeGreaterThan(PAGE);

  const rows = page.getByRole('list', { name: 'People' }).getByRole('listitem');
  await expect(rows).toHaveCount(PAGE);
  await page.getByRole('button', { name: `Show ${Math.min(PAGE, total - PAGE)} more people` }).click();
  await expect(rows).toHaveCount(Math.min(2 * PAGE, total));
  await noSidewaysScroll(page, 'People');

  // Someone on the screen, found again by their surname typed in lower case.
  const name = (await rows.nth(3).locator('.list__title').textContent())!.trim();
  const surname = name.split(' ').at(-1)!;
  await page.getByRole('searchbox', { name: 'Search by name, phone, email or postcode' }).fill(surname.toLowerCase());
  await expect(summary).toHaveText(/^[\d,]+ (person|people) found\.$/);
  const found = number((await summary.textContent())!.match(/^([\d,]+)/)![1]);
  expect(found).toBeGreaterThan(0);
  expect(found).toBeLessThan(total);
  await expect(rows.filter({ hasText: name }).first()).toBeVisible();

  // Nobody by that name: said so, and the whole list comes back when the search is cleared.
  await page.getByRole('searchbox', { name: 'Search by name, phone, email or postcode' }).fill(`zz${letters(8)}`);
  await expect(summary).toHaveText('0 people found.');
  await expect(rows).toHaveCount(0);
  await page.getByRole('searchbox', { name: 'Search by name, phone, email or postcode' }).fill('');
  await expect(summary).toHaveText(/people on this phone\./);
  await expect(rows).toHaveCount(PAGE);
});

test("a walk list of a whole constituency shows its doors fifty at a time and counts them all", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  await page.goto('/lists');
  await syncNow(page);
  await page.getByRole('link', { name: 'New walk list' }).click();
  const listName = `Everyone ${letters(6)}`;
  await page.getByLabel('Name', { exact: true }).fill(listName);
  await chooseArea(page.getByLabel('Area'), 'Synthetic Vale');
  await page.getByRole('button', { name: 'Save walk list' }).click();
  await expect(page.getByRole('heading', { name: listName })).toBeVisible();

  const progress = page.getByRole('status').filter({ hasText: 'doors done' });
  await expect(progress).toHaveText(/^[\d,]+ of [\d,]+ doors done, [\d,]+ left\. /);
  const doors = number((await progress.textContent())!.match(/of ([\d,]+) doors/)![1]);
  expect(doors, 'the constituency has more doors than one page').toBeGreaterThan(PAGE);
  const rows = page.getByRole('list', { name: 'Doors in walking order' }).getByRole('listitem');
  await expect(rows).toHaveCount(PAGE);
  await page.getByRole('button', { name: `Show ${Math.min(PAGE, doors - PAGE)} more doors` }).click();
  await expect(rows).toHaveCount(Math.min(2 * PAGE, doors));
  await noSidewaysScroll(page, 'a walk list');

  // The list's count on the lists screen is the same number, in the same words.
  await page.goto('/lists');
  await expect(page.getByRole('link', { name: new RegExp(listName) })).toContainText(
    new RegExp(`of ${doors.toLocaleString('en-GB')} doors done`),
  );
});
