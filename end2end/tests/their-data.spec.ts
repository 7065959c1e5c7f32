// A person's data from the screens, for an admin of their area: everything held about them
// downloaded from their page (a subject access request), then the person erased, saying why
// (an erasure request). The admin's phone and an organiser's phone that held them both lose
// every trace at their next sync; an organiser, who may not erase, is not offered it. The
// audit log shows both, filtered to the person and to an action, and downloads as CSV. A
// volunteer's phone that had just saved a conversation with someone erased since, and an
// organiser's phone holding an unsent change about them, lose them at their next sync: the
// save's line and undo go, and the change is dropped with a sentence, not rejected.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import {
  allSent,
  noAxeViolations,
  noSidewaysScroll,
  peopleNamed,
  signIn,
  status,
  syncNow,
  uniqueName,
} from './support';

const adminEmail = process.env.ORGANISE_DEMO_ADMIN_EMAIL!;
const adminPassword = process.env.ORGANISE_DEMO_ADMIN_PASSWORD!;

/** Whether anything in the phone's IndexedDB mentions `text`. */
async function storedAnywhere(page: Page, text: string): Promise<boolean> {
  return page.evaluate(
    (text) =>
      new Promise<boolean>((resolve, reject) => {
        const open = indexedDB.open('organise');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = [...db.objectStoreNames];
          const tx = db.transaction(names);
          let found = false;
          for (const name of names) {
            const all = tx.objectStore(name).getAll();
            all.onsuccess = () => {
              if (all.result.some((value) => JSON.stringify(value).includes(text))) found = true;
            };
          }
          tx.oncomplete = () => {
            db.close();
            resolve(found);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    text,
  );
}

test('an admin downloads a person\'s data, erases them with a reason, and they leave every phone', async ({
  page,
  browser,
}) => {
  // The admin adds someone to Synthetic Vale.
  await signIn(page, adminEmail, adminPassword);
  await allSent(page);
  const name = uniqueName('Erin');
  await page.getByRole('link', { name: 'People' }).first().click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Save person' }).click();
  await expect(page.getByText(`Saved ${name}.`)).toBeVisible();
  await allSent(page);

  // The organiser's phone holds them too, and offers no erasure: only admins may.
  const organiserContext = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const organiser = await organiserContext.newPage();
  await signIn(organiser);
  await organiser.getByRole('link', { name: 'People' }).first().click();
  await expect((await peopleNamed(organiser, name)).getByText(name)).toBeVisible({ timeout: 20_000 });
  await (await peopleNamed(organiser, name)).getByText(name).click();
  await expect(organiser.getByRole('heading', { name })).toBeVisible();
  await expect(organiser.getByRole('heading', { name: 'Their data' })).toHaveCount(0);
  expect(await storedAnywhere(organiser, name)).toBe(true);

  // The admin opens their page: the data downloads as the server's export.
  await (await peopleNamed(page, name)).getByText(name).click();
  await expect(page.getByRole('heading', { name: 'Their data' })).toBeVisible();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download their data' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^person-[0-9a-f-]+\.json$/);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  expect(JSON.stringify(exported.person)).toContain(name);
  expect(exported).toHaveProperty('audit');
  await expect(page.getByText('Their data was saved as a file.')).toBeVisible();

  // What has been done about them: the audit log, narrowed to them.
  await page.getByRole('link', { name: 'What has been done about them (audit log)' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByText(`About ${name}`).first()).toBeVisible();
  const entries = page.getByRole('list', { name: 'Audit entries' });
  await expect(entries.getByRole('listitem')).toHaveCount(1);
  await expect(entries).toContainText("Person's data downloaded");
  await expect(entries).toContainText('By Demo Admin');
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Their data' })).toBeVisible();

  // The same as a page to read, print or save: their record, and who may read them and why.
  await page.getByRole('link', { name: 'Read their data, to print or save' }).click();
  await expect(page.getByRole('heading', { name: 'Their record' })).toBeVisible();
  await expect(page.locator('.subject-access__fields').first()).toContainText(name);
  const readers = page.getByRole('region', { name: /may read them/ });
  await expect(readers).toContainText('Demo Admin: Admin of Synthetic Vale');
  await expect(readers).toContainText('Demo Organiser: Organiser of Synthetic Vale');
  await expect(page.getByRole('region', { name: /audit entr/ })).toContainText("Person's data downloaded");
  await expect(page.getByRole('button', { name: 'Print' })).toBeVisible();
  await noSidewaysScroll(page, "a person's data as a page");
  await noAxeViolations(page, "a person's data as a page");
  await page.getByRole('link', { name: 'Back to their page' }).click();
  await expect(page.getByRole('heading', { name: 'Their data' })).toBeVisible();

  // Erasing asks why, and erases nothing until told.
  await page.getByRole('button', { name: `Erase ${name}…` }).click();
  await expect(page.getByText(`Erasing ${name} removes for good`)).toBeVisible();
  await expect(page.getByText('their record and contact details')).toBeVisible();
  await noSidewaysScroll(page, 'a person\'s page, erasing them');
  await noAxeViolations(page, 'a person\'s page, erasing them');
  await page.getByRole('button', { name: `Erase ${name} for good` }).click();
  await expect(page.getByText('Choose why they are being erased.')).toBeVisible();
  await page.getByLabel('They asked to be erased').check();
  await page.getByRole('button', { name: `Erase ${name} for good` }).click();
  await expect(page.getByText('The person was erased. Every phone loses them at its next sync.')).toBeVisible();

  // Both phones lose every trace at their next sync.
  await allSent(page);
  await expect((await peopleNamed(page, name)).getByText(name)).toHaveCount(0);
  expect(await storedAnywhere(page, name)).toBe(false);
  await syncNow(organiser);
  await organiser.getByRole('link', { name: 'People' }).first().click();
  await expect((await peopleNamed(organiser, name)).getByText(name)).toHaveCount(0);
  expect(await storedAnywhere(organiser, name)).toBe(false);

  // The audit log shows the erasure, why, and no name: the person is gone.
  await page.getByRole('link', { name: 'Organise' }).first().click();
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByLabel('Action').selectOption({ label: 'Person erased' });
  await page.getByRole('button', { name: 'Show entries' }).click();
  const erasures = page.getByRole('list', { name: 'Audit entries' }).getByRole('listitem');
  await expect(erasures.first()).toContainText('Person erased');
  await expect(erasures.first()).toContainText('About a person since erased');
  await expect(erasures.first()).toContainText('reason: request');
  await expect(page.getByRole('list', { name: 'Audit entries' })).not.toContainText(name);
  await noSidewaysScroll(page, 'the audit log');
  await noAxeViolations(page, 'the audit log');
  const downloadingCsv = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download as CSV' }).click();
  const csv = await readFile(await (await downloadingCsv).path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('when,action,who,who_id,about,about_id,area,area_id,detail');
  expect(csv).toContain('person.erase');
  expect(csv).not.toContain('person.export');

  // Narrowed by who did it: nothing the admin did shows under the organiser.
  await page.getByLabel('Action').selectOption({ label: 'Every action' });
  await page.getByLabel('By whom').selectOption({ label: 'Demo Organiser' });
  await page.getByRole('button', { name: 'Show entries' }).click();
  await expect(page.getByRole('list', { name: 'Audit entries' })).not.toContainText('By Demo Admin');
  await page.getByLabel('By whom').selectOption({ label: 'Demo Admin' });
  await page.getByRole('button', { name: 'Show entries' }).click();
  await expect(page.getByRole('list', { name: 'Audit entries' })).toContainText('Person erased');
  await expect(page.getByRole('list', { name: 'Audit entries' })).not.toContainText('By Demo Organiser');

  // An organiser has no audit log.
  await organiser.goto('/');
  await expect(organiser.getByRole('heading', { name: /^Hello, / })).toBeVisible();
  await expect(organiser.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  await organiser.goto('/audit');
  await expect(organiser.getByText('Only admins can read the audit log.')).toBeVisible();
  await organiserContext.close();
});

test('an erased person leaves two phones at their next sync: one that saved a conversation with them, one with an unsent change about them, which is dropped and said', async ({
  page,
  browser,
}) => {
  // Phone one: the demo volunteer meets someone new at a door and saves the conversation.
  const one = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const shift = await one.newPage();
  await signIn(shift, process.env.ORGANISE_DEMO_VOLUNTEER_EMAIL!, process.env.ORGANISE_DEMO_VOLUNTEER_PASSWORD!);
  await shift.goto('/lists');
  await syncNow(shift);
  await shift.getByRole('link').filter({ hasText: /[\d,]+ of [\d,]+ doors done/ }).first().click();
  await shift.getByRole('link', { name: 'Next door' }).click();
  const newcomer = uniqueName('Hywel');
  await shift.getByRole('button', { name: 'Add someone met here' }).click();
  await shift.getByLabel('Name of the person met here').fill(newcomer);
  await shift.getByRole('button', { name: 'Add', exact: true }).click();
  await shift.getByRole('button', { name: 'Save conversation' }).click();
  await expect(shift.getByText(`Conversation with ${newcomer} saved.`)).toBeVisible();
  await allSent(shift);

  // Phone two: the organiser holds them, and changes their phone number with no signal.
  const two = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const organiser = await two.newPage();
  await signIn(organiser);
  await syncNow(organiser);
  await organiser.getByRole('link', { name: 'People' }).first().click();
  await (await peopleNamed(organiser, newcomer)).getByText(newcomer).click();
  await expect(organiser.getByRole('heading', { name: newcomer })).toBeVisible();
  await two.setOffline(true);
  await organiser.getByLabel('Phone').fill('07700 900123');
  await organiser.getByRole('button', { name: 'Save changes' }).click();
  await expect(status(organiser)).toContainText(/waiting to be sent/);

  // An admin at a desk erases them.
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, adminEmail, adminPassword);
  await allSent(page);
  await page.getByRole('link', { name: 'People' }).first().click();
  await (await peopleNamed(page, newcomer)).getByText(newcomer).click();
  await page.getByRole('button', { name: `Erase ${newcomer}…` }).click();
  await page.getByLabel('They asked to be erased').check();
  await page.getByRole('button', { name: `Erase ${newcomer} for good` }).click();
  await expect(page.getByText('The person was erased. Every phone loses them at its next sync.')).toBeVisible();
  const erasedAt = Date.now();

  // Each phone's next sync takes every trace; the unsent change is dropped with a sentence,
  // not left as a rejected change.
  await two.setOffline(false);
  await syncNow(organiser);
  const twoClean = Date.now();
  await expect(organiser.getByText('1 change made on this phone was not sent: the person it was about has been erased.')).toBeVisible();
  await expect(organiser.getByRole('link', { name: /rejected change/ })).toHaveCount(0);
  expect(await storedAnywhere(organiser, newcomer)).toBe(false);
  await organiser.getByRole('button', { name: 'OK' }).click();
  await expect(organiser.getByText(/was not sent/)).toHaveCount(0);
  await syncNow(shift);
  const oneClean = Date.now();
  await expect(shift.getByText(`Conversation with ${newcomer} saved.`)).toHaveCount(0);
  await expect(shift.getByRole('button', { name: 'Undo' })).toHaveCount(0);
  expect(await storedAnywhere(shift, newcomer)).toBe(false);
  // The figure for the record: the erasure's time to leave both phones, each syncing once.
  console.log(
    `erasure left phone two ${twoClean - erasedAt} ms and phone one ${oneClean - erasedAt} ms after it was made`,
  );
  await one.close();
  await two.close();
});
