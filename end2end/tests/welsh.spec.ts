// Welsh from the screens: a phone set to Welsh opens the app in Welsh, and anyone can switch
// language in Settings; the choice outlives a reload, and going back to the device's language
// follows the phone again. A Welsh-speaking volunteer works a door in Welsh, and a bad phone
// number is refused in Welsh beside its field, keeping everything typed.
import { expect, test } from '@playwright/test';
import { email, letters, noAxeViolations, noSidewaysScroll, password, signIn, syncNow, syntheticVale, volunteer, chooseArea } from './support';

test('a phone set to Welsh signs in and works in Welsh, and Settings switches language', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ locale: 'cy-GB' });
  const page = await context.newPage();

  await page.goto('/sign-in');
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy-GB');
  await expect(page.getByRole('heading', { name: 'Mewngofnodi' })).toBeVisible();
  await noAxeViolations(page, 'sign-in in Welsh');
  await page.getByLabel('E-bost').fill(email);
  await page.getByLabel('Cyfrinair').fill('nid y cyfrinair');
  await page.getByRole('button', { name: 'Mewngofnodi' }).click();
  await expect(page.getByRole('alert')).toHaveText("Nid yw'r e-bost a'r cyfrinair hynny'n cyfateb i gyfrif.");
  await page.getByLabel('Cyfrinair').fill(password);
  await page.getByRole('button', { name: 'Mewngofnodi' }).click();
  await expect(page.getByRole('heading', { name: /^Helo, / })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Prif' }).getByRole('link', { name: 'Rhestrau' })).toBeVisible();
  await page.getByRole('button', { name: 'Cysoni nawr' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Mae pob newid wedi' })).toContainText(/Cysonwyd (gynnau|.* yn ôl)\./, {
    timeout: 30_000,
  });

  // Settings: English chosen by hand, kept across a reload.
  await page.getByRole('navigation', { name: 'Prif' }).getByRole('link', { name: 'Gosodiadau' }).click();
  await expect(page.getByRole('heading', { name: 'Gosodiadau' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Fel y mae\'r ddyfais hon (Cymraeg)' })).toBeChecked();
  await page.setViewportSize({ width: 320, height: 640 });
  await noSidewaysScroll(page, 'Settings in Welsh at 320 px');
  await noAxeViolations(page, 'Settings in Welsh');
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

test('a volunteer works a door in Welsh, and a bad value is refused beside its field', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page);
  const organiser = page;
  const { ward, wardName } = await syntheticVale(organiser.request);
  const vol = await volunteer(browser, organiser, ward.id, `Gwen ${letters(6)}`, { locale: 'cy-GB' });

  await organiser.goto('/lists');
  await syncNow(organiser);
  await organiser.getByRole('link', { name: 'New walk list' }).click();
  const listName = `Stryd ${letters(6)}`;
  await organiser.getByLabel('Name').fill(listName);
  await chooseArea(organiser.getByLabel('Area'), wardName);
  await organiser.getByRole('checkbox', { name: vol.name }).check();
  await organiser.getByRole('button', { name: 'Save walk list' }).click();
  await expect(organiser.getByRole('heading', { name: listName })).toBeVisible();
  await syncNow(organiser);

  const shift = vol.page;
  await shift.goto('/lists');
  await shift.getByRole('button', { name: 'Cysoni nawr' }).click();
  await shift.getByRole('link', { name: new RegExp(listName) }).click();
  await expect(shift.getByRole('heading', { name: listName })).toBeVisible();
  await expect(shift.locator('.progress')).toContainText(/^0 o .* wedi'u gwneud/);
  await shift.getByRole('link', { name: 'Y drws nesaf' }).click();
  await expect(shift.locator('.door__progress')).toContainText(/^Drws 1 o /);

  // One tap: nobody home, and the next door is there.
  await shift.getByRole('button', { name: 'Neb gartref' }).click();
  await expect(shift.locator('.door__progress')).toContainText(/^Drws 2 o .* 1 wedi'u gwneud/);
  await expect(shift.getByRole('status').filter({ hasText: 'neb gartref' })).toBeVisible();

  // A conversation with a phone number that is not one: refused in Welsh beside the field.
  const talk = shift.getByRole('button', { name: /^Siarad gyda / }).first();
  const name = (await talk.textContent())!.replace('Siarad gyda ', '');
  await talk.click();
  await shift.getByLabel('Nodyn').fill('Bysiau yn hwyr bob bore');
  await shift.getByLabel('Rhif ffôn', { exact: true }).fill('12345');
  await shift.getByRole('button', { name: "Cadw'r sgwrs" }).click();
  await expect(shift.locator('#phone-problem')).toHaveText(/^Nid yw hwn yn rhif ffôn yn y DU/);
  await expect(shift.getByRole('alert')).toContainText('Mae angen newid rhai atebion');
  await expect(shift.getByLabel('Nodyn')).toHaveValue('Bysiau yn hwyr bob bore');

  // Welsh is longer than English: at 320 px the door and its form still fit the screen.
  await shift.setViewportSize({ width: 320, height: 640 });
  await noSidewaysScroll(shift, 'the door in Welsh at 320 px');
  await noAxeViolations(shift, 'the door in Welsh, its form showing a problem');
  await shift.setViewportSize({ width: 360, height: 640 });

  await shift.getByLabel('Rhif ffôn', { exact: true }).fill('07700 900123');
  await shift.getByRole('button', { name: "Cadw'r sgwrs" }).click();
  await expect(shift.getByRole('status').filter({ hasText: `Cadwyd y sgwrs gyda ${name}.` })).toBeVisible();
  await shift.getByRole('link', { name: 'Pob drws' }).click();
  await shift.getByRole('button', { name: 'Marcio sawl drws yn neb gartref' }).click();
  await shift.setViewportSize({ width: 320, height: 640 });
  await noSidewaysScroll(shift, 'the walk list in Welsh at 320 px');
  await noAxeViolations(shift, 'the walk list in Welsh');
  await vol.context.close();
});
