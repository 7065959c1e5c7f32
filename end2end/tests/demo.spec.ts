// The demo as `cargo xtask run` prints it, from the screens alone at 360x640: the printed
// organiser login finds walk lists under way, this week's results in their own constituency
// and the stories behind an issue; the printed volunteer login finds their own walk lists, one
// under way and one not started, the next door to knock, and their results.
// Nothing is changed, so the demo stays as printed for the other specs.
import { expect, test, type Page } from '@playwright/test';
import { noAxeViolations, noSidewaysScroll, signIn, syncNow } from './support';

const volunteerEmail = process.env.ORGANISE_DEMO_VOLUNTEER_EMAIL!;
const volunteerPassword = process.env.ORGANISE_DEMO_VOLUNTEER_PASSWORD!;

/** The walk lists on the Walk lists screen, and how many doors of each are done. */
async function walkLists(page: Page) {
  await page.goto('/lists');
  await syncNow(page);
  const links = page.getByRole('link').filter({ hasText: /[\d,]+ of [\d,]+ doors done/ });
  await expect(links.first()).toBeVisible();
  const done = (await links.allTextContents()).map((text) =>
    Number(text.match(/([\d,]+) of [\d,]+ doors done/)![1].replaceAll(',', '')),
  );
  return { links, done };
}

test('the printed organiser login shows walk lists under way, this week’s results and stories', async ({ page }) => {
  await signIn(page);
  const { done } = await walkLists(page);
  expect(done.length, 'the campaign’s lists').toBeGreaterThanOrEqual(6);
  expect(done.filter((n) => n > 0).length, 'lists under way').toBeGreaterThanOrEqual(4);
  expect(done, 'a list not started').toContain(0);

  // Results open on the organiser's own constituency, with issues raised this week.
  await page.goto('/results');
  await expect(page.getByLabel('Area').locator('option:checked')).toHaveText(/^Synthetic Vale/);
  await expect(page.getByRole('button', { name: 'Last 7 days' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText(/\d+ conversations? held, out of/)).toBeVisible();
  const issues = page.getByRole('region', { name: 'Issues raised' });
  await expect(issues.getByRole('listitem').nth(2)).toBeVisible();

  // How the week's doors ended: each door once, so the outcomes add up to the doors knocked,
  // and the wards are offered under the constituency.
  const total = await page.getByText(/\d+ conversations? held, out of/).textContent();
  const knocked = Number(total!.match(/out of ([\d,]+) doors? knocked/)![1].replaceAll(',', ''));
  const outcomes = page.getByRole('region', { name: 'Outcomes' });
  await expect(outcomes.getByRole('listitem').filter({ hasText: 'Talked' })).toBeVisible();
  const doors = (await outcomes.getByRole('listitem').allTextContents()).map((text) =>
    Number(text.trim().match(/([\d,]+) doors?$/)![1].replaceAll(',', '')),
  );
  expect(doors.length, 'more than one outcome').toBeGreaterThan(1);
  expect(doors.reduce((sum, n) => sum + n, 0), `outcomes ${doors} against ${knocked} doors knocked`).toBe(knocked);
  const areas = await page.getByLabel('Area').locator('option').allTextContents();
  expect(areas[0]).toMatch(/^Synthetic Vale/);
  expect(areas.length, 'the constituency and its wards').toBeGreaterThan(1);
  expect(areas.slice(1).every((name) => name.startsWith('\u00a0')), `wards under it: ${areas}`).toBe(true);
  await page.setViewportSize({ width: 320, height: 640 });
  await noSidewaysScroll(page, 'results at 320 px');
  await page.setViewportSize({ width: 360, height: 640 });

  // Over all time, the stories behind one of the top issues.
  await page.getByRole('button', { name: 'All time' }).click();
  const buttons = issues.getByRole('button', { name: /^Stories about / });
  let told = 0;
  for (let i = 0; i < 3 && told === 0; i++) {
    await buttons.nth(i).click();
    const stories = issues.locator('.stories');
    await expect(stories).toBeVisible();
    told = await stories.getByRole('listitem').count();
  }
  expect(told, 'stories behind one of the top three issues').toBeGreaterThan(0);
});

test('the printed volunteer login shows their own lists, one under way and one not, and their results', async ({ page }) => {
  await signIn(page, volunteerEmail, volunteerPassword);
  await expect(page.getByRole('heading', { name: 'Hello, Demo Volunteer' })).toBeVisible();
  const { links, done } = await walkLists(page);
  expect(done.length).toBeGreaterThanOrEqual(2);
  expect(done.some((n) => n > 0), `a list under way: ${done}`).toBe(true);
  expect(done, 'a list not started').toContain(0);

  // The list under way, its done doors drawn among the rest, passes axe (done doors once
  // failed colour contrast), and opens on its next door.
  await links.nth(done.findIndex((n) => n > 0)).click();
  await expect(page.getByRole('list', { name: 'Doors in walking order' })).toBeVisible();
  await noSidewaysScroll(page, 'a list under way');
  await noAxeViolations(page, 'a list under way');
  await page.getByRole('link', { name: 'Next door' }).click();
  await expect(page.locator('.door__progress')).toContainText(/Door \d+ of/);
  await expect(page.getByRole('button', { name: 'Not home' })).toBeVisible();
  await noAxeViolations(page, 'the next door of a list under way');

  await page.goto('/results');
  await page.getByRole('button', { name: 'All time' }).click();
  await expect(page.getByText(/\d+ conversations? held, out of/)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Issues raised' }).getByRole('listitem').first()).toBeVisible();
});
