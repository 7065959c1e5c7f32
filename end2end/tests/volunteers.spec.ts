// Volunteers from listening, from the screens alone, offline, at 360x640: an organiser picks
// an issue the demo's doors raised and finds who raised it and offered to help, narrows them
// by a skill, and saves them as a walk list (a blank name is refused beside the field). A
// volunteer is told the screen is for organisers.
import { expect, test, type Page } from '@playwright/test';
import { controlled, screenHolds, signIn, syncNow } from './support';

const PHONE = { width: 360, height: 640 };

async function found(page: Page): Promise<number> {
  const text = await page.locator('main p[role="status"]').first().textContent();
  const match = text?.match(/([\d,]+) (people|person) found/);
  return match ? Number(match[1].replaceAll(',', '')) : -1;
}

test('volunteers: who raised an issue and offered to help, by skill too, saved as a list, offline', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize(PHONE);
  await signIn(page);
  await syncNow(page);
  await controlled(page);
  await page.context().setOffline(true);
  await page.getByRole('link', { name: 'Find volunteers', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Find volunteers', level: 1 })).toBeVisible();
  await expect(page.getByText('Choose an issue or a skill to find people.')).toBeVisible();

  // The first issue anyone offered to help with.
  const issues = await page.locator('#volunteers-issue option').evaluateAll((os) =>
    (os as HTMLOptionElement[]).map((o) => o.value).filter(Boolean));
  expect(issues.length).toBeGreaterThan(0);
  let withIssue = 0;
  for (const issue of issues) {
    await page.locator('#volunteers-issue').selectOption(issue);
    await expect.poll(() => found(page)).toBeGreaterThanOrEqual(0);
    withIssue = await found(page);
    if (withIssue > 0) break;
  }
  expect(withIssue, 'someone raised an issue and offered to help').toBeGreaterThan(0);
  const rows = page.getByRole('list', { name: 'People found' }).locator('li');
  await expect(rows).toHaveCount(Math.min(withIssue, 100));
  for (const why of await rows.locator('.list__detail').allTextContents()) {
    expect(why).toMatch(/^raised it, offered to (volunteer|host)/);
  }
  await screenHolds(page, 'Find volunteers');

  // A skill as well never finds more.
  const skills = await page.locator('#volunteers-skill option').evaluateAll((os) =>
    (os as HTMLOptionElement[]).map((o) => o.value).filter(Boolean));
  if (skills.length > 0) {
    await page.locator('#volunteers-skill').selectOption(skills[0]);
    await expect.poll(() => found(page)).toBeLessThanOrEqual(withIssue);
    await page.locator('#volunteers-skill').selectOption('');
    await expect.poll(() => found(page)).toBe(withIssue);
  }

  // Saved as a walk list: a blank name is refused beside it, then the list opens.
  await page.getByRole('button', { name: 'Save list' }).click();
  await expect(page.locator('#volunteers-name-problem')).not.toBeEmpty();
  await expect(page.getByLabel('List name')).toHaveAttribute('aria-invalid', 'true');
  const name = `Volunteers ${Date.now()}`;
  await page.getByLabel('List name').fill(name);
  await page.getByRole('button', { name: 'Save list' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await page.context().setOffline(false);
  await syncNow(page);
});

test('volunteers: a volunteer is told finding volunteers is for organisers', async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signIn(page, process.env.ORGANISE_DEMO_VOLUNTEER_EMAIL!, process.env.ORGANISE_DEMO_VOLUNTEER_PASSWORD!);
  await expect(page.getByRole('link', { name: 'Find volunteers', exact: true })).toHaveCount(0);
  await page.goto('/volunteers');
  await expect(page.getByText('Finding volunteers is for organisers.')).toBeVisible();
});
