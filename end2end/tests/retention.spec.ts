// Retention from the screens: an admin of the whole organisation sets the rule (a period out
// of bounds is refused beside the field), an admin of Synthetic Vale reviews whom it catches
// there, by ward, counts them in a dry run and erases three stale people in one action; they
// leave the admin's phone, and the audit log shows each erasure with its reason. The rule is
// then removed. The three are made through the API with ids minted thirty months ago, as an
// import of an old list would leave them; everything else is done on the screens.
import { expect, test, type APIRequestContext } from '@playwright/test';
import {
  allSent,
  csrf,
  letters,
  noAxeViolations,
  noSidewaysScroll,
  peopleNamed,
  signIn,
  syncNow,
  syntheticVale,
  uniqueName,
} from './support';

const adminEmail = process.env.ORGANISE_DEMO_ADMIN_EMAIL!;
const adminPassword = process.env.ORGANISE_DEMO_ADMIN_PASSWORD!;
const nationalEmail = process.env.ORGANISE_DEMO_NATIONAL_EMAIL!;
const nationalPassword = process.env.ORGANISE_DEMO_NATIONAL_PASSWORD!;

/** A UUIDv7 minted at `at` (milliseconds since the epoch), as a phone mints record ids. */
function uuidV7(at: number): string {
  const random = crypto.randomUUID().replace(/-/g, '');
  const variant = ((parseInt(random[16], 16) & 0x3) | 0x8).toString(16);
  const hex = at.toString(16).padStart(12, '0') + '7' + random.slice(13, 16) + variant + random.slice(17, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** People met `months` months ago in `area`, with no consent and nothing recorded since. */
async function peopleMetLongAgo(request: APIRequestContext, area: string, names: string[], months: number) {
  const clientId = crypto.randomUUID();
  const at = Date.now() - months * 30.5 * 24 * 60 * 60 * 1000;
  const mutations = names.map((name, i) => ({
    client_id: clientId,
    seq: i + 1,
    schema_version: 1,
    collection: 'person',
    record_id: uuidV7(at + i),
    op: { op: 'create', area, fields: { name: { text: name }, source: { text: 'doorstep' }, stage: { text: 'contact' } } },
  }));
  const response = await request.post('/api/sync/push', {
    headers: { 'x-csrf-token': await csrf(request) },
    data: { protocol: 1, client_id: clientId, acknowledged: 0, mutations },
  });
  expect(response.status(), await response.text()).toBe(200);
  const outcomes = (await response.json()).outcomes;
  expect(outcomes.map((o: any) => o.outcome.outcome)).toEqual(names.map(() => 'applied'));
}

test('an admin reviews whom the retention rule catches, counts them in a dry run and erases three stale people', async ({
  page,
  browser,
}) => {
  // The organisation's admin sets the rule, at a desk.
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const national = await desk.newPage();
  await signIn(national, nationalEmail, nationalPassword);
  await national.getByRole('link', { name: 'Retention' }).click();
  await expect(national.getByRole('heading', { name: 'The rule', exact: true })).toBeVisible();
  await expect(national.getByText('There is no retention rule, so nobody is listed.')).toBeVisible();
  const months = national.getByLabel('Months without contact');
  await months.fill('3');
  await national.getByRole('button', { name: 'Save the rule' }).click();
  await expect(national.getByText('Write a number of months from 6 to 120.')).toBeVisible();
  await expect(months).toHaveAttribute('aria-invalid', 'true');
  await expect(months).toHaveValue('3');
  await months.fill('24');
  await national.getByRole('button', { name: 'Save the rule' }).click();
  await expect(national.getByText('The rule was saved.')).toBeVisible();
  await expect(national.getByText(/no contact for 24 months are listed below/)).toBeVisible();
  await noSidewaysScroll(national, 'retention, setting the rule');
  await noAxeViolations(national, 'retention, setting the rule');

  // Three people met thirty months ago in a ward of Synthetic Vale, never heard from since.
  await signIn(page, adminEmail, adminPassword);
  const { ward, wardName } = await syntheticVale(page.request);
  // One with a name of 99 letters: the review must hold it on a 320 px phone.
  const stale = [uniqueName('Ash'), uniqueName('Birch'), `Cedar ${letters(93)}`];
  await peopleMetLongAgo(page.request, ward.id, stale, 30);
  await syncNow(page);
  await page.getByRole('link', { name: 'People' }).first().click();
  await expect((await peopleNamed(page, stale[0])).getByText(stale[0])).toBeVisible();

  // The constituency's admin reviews them on a phone: by ward, each chosen.
  await page.goto('/');
  await page.getByRole('link', { name: 'Retention' }).click();
  await expect(page.getByText(/no contact for 24 months are listed below/)).toBeVisible();
  await expect(page.getByLabel('Months without contact')).toHaveCount(0);
  const inWard = page.getByRole('list', { name: new RegExp(`^${wardName}: `) });
  for (const name of stale) {
    await expect(inWard.getByRole('checkbox', { name: new RegExp(name) })).toBeChecked();
  }
  // Anyone else the rule catches there (none in a fresh demo) is kept out of this test's work.
  for (const box of await page.getByRole('checkbox').all()) {
    const label = (await box.evaluate((e) => (e as HTMLInputElement).labels?.[0]?.textContent)) ?? '';
    if (!stale.some((name) => label.includes(name))) await box.uncheck();
  }
  await noSidewaysScroll(page, 'retention, the review');
  await noAxeViolations(page, 'retention, the review');
  await page.setViewportSize({ width: 320, height: 640 });
  await noSidewaysScroll(page, 'retention, the review at 320 px');
  await page.setViewportSize({ width: 360, height: 640 });

  // A dry run counts them and erases nobody; then one action erases exactly those counted.
  await page.getByRole('button', { name: 'Count who would be erased' }).click();
  await expect(page.getByText('3 people would be erased.')).toBeVisible();
  await expect(inWard.getByText(stale[0])).toBeVisible();
  await page.getByRole('button', { name: 'Erase 3 people for good' }).click();
  await expect(page.getByText('3 people were erased. Every phone loses them at its next sync.')).toBeVisible();
  for (const name of stale) await expect(page.getByText(name)).toHaveCount(0);

  // They leave the phone at its next sync.
  await allSent(page);
  await page.getByRole('link', { name: 'People' }).first().click();
  for (const name of stale) await expect((await peopleNamed(page, name)).getByText(name)).toHaveCount(0);

  // The audit log shows each erasure with its reason, and no name.
  await page.goto('/audit');
  await page.getByLabel('Action').selectOption({ label: 'Person erased' });
  await page.getByRole('button', { name: 'Show entries' }).click();
  const entries = page.getByRole('list', { name: 'Audit entries' }).getByRole('listitem');
  await expect(entries.filter({ hasText: 'reason: retention' })).toHaveCount(3);
  for (const name of stale) await expect(page.getByRole('list', { name: 'Audit entries' })).not.toContainText(name);

  // The organisation's admin removes the rule: nobody is listed any more.
  await national.reload();
  await national.getByRole('button', { name: 'Remove the rule' }).click();
  await expect(national.getByText('The rule was removed.')).toBeVisible();
  await expect(national.getByText('There is no retention rule, so nobody is listed.')).toBeVisible();
  await desk.close();
});
