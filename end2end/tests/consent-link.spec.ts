// A person withdraws their own consent through a signed link, without an account: an
// organiser makes the link from the person's page (anyone who may read them can), and the page it opens shows nothing about them,
// asks which ways of contacting them must stop, and says when it is done. An admin then
// reads it in the person's data and the audit log. A link changed by one
// character, or one that has expired, is refused with words saying so.
import { expect, test } from '@playwright/test';
import { allSent, noAxeViolations, noSidewaysScroll, peopleNamed, signIn, syncNow, uniqueName } from './support';

const adminEmail = process.env.ORGANISE_DEMO_ADMIN_EMAIL!;
const adminPassword = process.env.ORGANISE_DEMO_ADMIN_PASSWORD!;

test('a person withdraws email consent through a signed link; a tampered or expired link is refused', async ({
  page,
  browser,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page);
  await allSent(page);
  const name = uniqueName('Gwen');
  await page.getByRole('link', { name: 'People' }).first().click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Save person' }).click();
  await expect(page.getByText(`Saved ${name}.`)).toBeVisible();
  await allSent(page);
  await (await peopleNamed(page, name)).getByText(name).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();

  // The organiser makes the link on the person's page: shown in full, to copy or share.
  await page.getByRole('button', { name: 'Make a link for them to withdraw consent' }).click();
  const box = page.getByLabel(`Link for ${name} to withdraw consent`);
  await expect(box).toHaveValue(/\/consent\/[0-9a-f]{82}$/);
  const link = new URL(await box.inputValue());
  await expect(page.getByRole('button', { name: 'Copy link' })).toBeVisible();
  await noSidewaysScroll(page, "a person's page with a consent link");
  await noAxeViolations(page, "a person's page with a consent link");

  // The person opens it on their phone, signed in nowhere.
  const theirs = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const person = await theirs.newPage();
  await person.goto(link.pathname);
  await expect(person.getByRole('heading', { name: 'Your consent' })).toBeVisible();
  await expect(person.getByText('Choose how we may no longer contact you.')).toBeVisible();
  await expect(person.locator('body')).not.toContainText(name.split(' ')[0]);
  await noSidewaysScroll(person, 'the consent page');
  await noAxeViolations(person, 'the consent page');

  // Nothing chosen: said beside the choices, and nothing is sent.
  await person.getByRole('button', { name: 'Withdraw my consent' }).click();
  await expect(person.getByText('Choose at least one.')).toBeVisible();
  await person.getByLabel('Email').check();
  await expect(person.getByText('Choose at least one.')).toHaveCount(0);
  await person.getByRole('button', { name: 'Withdraw my consent' }).click();
  await expect(person.getByRole('main').getByRole('status')).toHaveText('Done. We will no longer contact you by: email.');
  await noAxeViolations(person, 'the consent page, done');

  // One character changed: refused, in words.
  const token = link.pathname.split('/').pop()!;
  const flipped = `${token.slice(0, 20)}${token[20] === 'a' ? 'b' : 'a'}${token.slice(21)}`;
  await person.goto(`/consent/${flipped}`);
  await expect(person.getByRole('main').getByRole('alert')).toHaveText(
    'This link does not work. Check that the whole link was copied from the message, or reply to the message to ask.',
  );
  await expect(person.getByRole('button', { name: 'Withdraw my consent' })).toHaveCount(0);

  // Expired: the server answers 410 once a link's time is up (its own tests move the clock);
  // here the page's words for that answer.
  await person.route(`**/api/consent/${token}`, (route) =>
    route.fulfill({
      status: 410,
      contentType: 'application/json',
      body: JSON.stringify({ error: 'this link has expired' }),
    }),
  );
  await person.goto(link.pathname);
  await expect(person.getByRole('main').getByRole('alert')).toHaveText(
    'This link has expired. Use the link in a more recent message, or reply to the message to ask.',
  );
  await theirs.close();

  // The organiser's phone hears of it at its next sync; an admin reads it in their data,
  // with the audit log's entry.
  await syncNow(page);
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const admin = await desk.newPage();
  await signIn(admin, adminEmail, adminPassword);
  await admin.getByRole('link', { name: 'People' }).first().click();
  await (await peopleNamed(admin, name)).getByText(name).click();
  await admin.getByRole('link', { name: 'Read their data, to print or save' }).click();
  const record = admin.locator('.subject-access__fields').first();
  await expect(record).toContainText(name);
  await expect(record).toContainText('given: no; method: link');
  await expect(admin.getByRole('region', { name: /audit entr/ })).toContainText(
    'Consent withdrawn by the person, through a link',
  );
  await desk.close();
});
