// Welsh from the screens: a phone set to Welsh opens the app in Welsh, and anyone can switch
// language in Settings; the choice outlives a reload, and going back to the device's language
// follows the phone again.
import { expect, test } from '@playwright/test';
import { email, password } from './support';

test('a phone set to Welsh signs in and works in Welsh, and Settings switches language', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ locale: 'cy-GB' });
  const page = await context.newPage();

  await page.goto('/sign-in');
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy-GB');
  await expect(page.getByRole('heading', { name: 'Mewngofnodi' })).toBeVisible();
  await page.getByLabel('E-bost').fill(email);
  await page.getByLabel('Cyfrinair').fill(password);
  await page.getByRole('button', { name: 'Mewngofnodi' }).click();
  await expect(page.getByRole('heading', { name: /^Helo, / })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Prif' }).getByRole('link', { name: 'Rhestrau' })).toBeVisible();
  await page.getByRole('button', { name: 'Cysoni nawr' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Mae pob newid wedi' })).toContainText(/Cysonwyd .* yn ôl\./, {
    timeout: 30_000,
  });

  // Settings: English chosen by hand, kept across a reload.
  await page.getByRole('navigation', { name: 'Prif' }).getByRole('link', { name: 'Gosodiadau' }).click();
  await expect(page.getByRole('heading', { name: 'Gosodiadau' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Fel y mae\'r ddyfais hon (Cymraeg)' })).toBeChecked();
  // The whole app redraws in the new language, so the radio is tapped rather than checked.
  await page.getByRole('radio', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Lists' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'English' })).toBeChecked();

  // Back to the device's language: Welsh again, because the phone is set to Welsh.
  await page.getByRole('radio', { name: 'As this device is set (Cymraeg)' }).click();
  await expect(page.getByRole('heading', { name: 'Gosodiadau' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Gosodiadau' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Fel y mae\'r ddyfais hon (Cymraeg)' })).toBeChecked();
  await context.close();
});
