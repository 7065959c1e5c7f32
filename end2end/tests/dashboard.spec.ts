// The organiser's dashboard on the home screen: its counts agree with the screens they link
// to (My week, the ladder), it says what waits to be sent as the sync bar does, and it holds
// at 360 px. A volunteer's home has no dashboard.
import { expect, test } from '@playwright/test';
import { controlled, screenHolds, signIn, syncNow, uniqueName } from './support';

test('the dashboard: counts that agree with My week and the ladder, and what waits to sync', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page);
  await syncNow(page);
  const dashboard = page.getByRole('region', { name: 'Your week at a glance' });
  const week = dashboard.getByRole('link', { name: /^One-to-ones this week/ });
  await expect(week).toContainText(/\d+ of \d+/);
  const [count, target] = (await week.locator('.card__figure').textContent())!.match(/(\d+) of (\d+)/)!.slice(1).map(Number);
  await expect(dashboard).toContainText('Everything is sent.');
  await screenHolds(page, 'Home with the dashboard');

  await week.click();
  const weekCard = page.locator('.week-card__count');
  await expect(weekCard).toHaveAttribute('data-count', String(count));
  await expect(weekCard).toHaveAttribute('data-target', String(target));

  await page.getByRole('link', { name: 'Organise', exact: true }).click();
  const onLadder = Number((await dashboard.getByRole('link', { name: /^The ladder/ }).locator('.card__figure').textContent())!.match(/(\d+)/)![1]);
  await dashboard.getByRole('link', { name: /^The ladder/ }).click();
  await expect(page.getByText(onLadder === 1 ? 'One person is on the ladder.' : `${onLadder} people are on the ladder.`)).toBeVisible();

  // A change made offline is counted as waiting, in the sync bar's words.
  await page.getByRole('link', { name: 'Organise', exact: true }).click();
  await controlled(page);
  await page.context().setOffline(true);
  await page.getByRole('link', { name: 'People', exact: true }).first().click();
  await page.locator('#person-name').fill(uniqueName('Dashboard'));
  await page.getByRole('button', { name: 'Save person' }).click();
  await expect(page.getByText(/^Saved /)).toBeVisible();
  await page.getByRole('link', { name: 'Organise', exact: true }).click();
  await expect(dashboard).toContainText(/1 change waiting to be sent\./);
  await page.context().setOffline(false);
  await syncNow(page);
  await expect(dashboard).toContainText('Everything is sent.');
});

test('a volunteer\'s home has no dashboard', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, process.env.ORGANISE_DEMO_VOLUNTEER_EMAIL!, process.env.ORGANISE_DEMO_VOLUNTEER_PASSWORD!);
  await expect(page.getByRole('region', { name: 'Your week at a glance' })).toHaveCount(0);
});
