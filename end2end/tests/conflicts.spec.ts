// Conflicts at 360x640 (issue 13): an open conflict shows the value the field holds now and
// who set each value, in words; and a conflict that a later edit settles closes by itself,
// on every phone, instead of piling up with an out-of-date "Now:".
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import {
  allSent,
  checkControls,
  controlled,
  csrf,
  letters,
  noAxeViolations,
  noSidewaysScroll,
  peopleNamed,
  signIn,
  syncNow,
  syntheticVale,
  uniqueName,
  volunteer,
} from './support';

/** A new person in `ward`, on a new walk list given to the volunteer `assignee`, made
 * through sync as the organiser's screens would make them. */
async function personOnAList(request: APIRequestContext, ward: string, assignee: string, name: string) {
  const clientId = crypto.randomUUID();
  const person = crypto.randomUUID();
  const mutation = (seq: number, collection: string, fields: object) => ({
    client_id: clientId,
    seq,
    schema_version: 1,
    collection,
    record_id: seq === 1 ? person : crypto.randomUUID(),
    op: { op: 'create', area: ward, fields },
  });
  const response = await request.post('/api/sync/push', {
    headers: { 'x-csrf-token': await csrf(request) },
    data: {
      protocol: 1,
      client_id: clientId,
      acknowledged: 0,
      mutations: [
        mutation(1, 'person', { name: { text: name }, source: { text: 'doorstep' }, stage: { text: 'contact' } }),
        mutation(2, 'list', {
          name: { text: `Conflicts ${letters(6)}` },
          kind: { text: 'walk' },
          members: { ids: [person] },
          assignees: { ids: [assignee] },
        }),
      ],
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  const outcomes = (await response.json()).outcomes.map((o: any) => o.outcome.outcome);
  expect(outcomes).toEqual(['applied', 'applied']);
}

async function rename(page: Page, from: string, to: string) {
  await page.getByRole('link', { name: 'People' }).first().click();
  await (await peopleNamed(page, from)).getByText(from).click();
  await expect(page.getByRole('heading', { name: from })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(to);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect((await peopleNamed(page, to)).getByText(to)).toBeVisible();
}

/** The conflict on the Conflicts screen whose heading names `who`. */
const conflictAbout = (page: Page, who: string) =>
  page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: `${who}: name` }) });

test('an open conflict says who set each value, and one a later edit settles closes by itself', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const organiser = page;
  await signIn(organiser);
  const { ward } = await syntheticVale(organiser.request);
  const vic = await volunteer(browser, organiser, ward.id, `Vic ${letters(6)}`);
  const vicId: string = (await (await vic.page.request.get('/api/session')).json()).user.id;
  const original = uniqueName('Rhiannon');
  await personOnAList(organiser.request, ward.id, vicId, original);

  // Both phones hold the person.
  for (const phone of [organiser, vic.page]) {
    await phone.goto('/people');
    await syncNow(phone);
    await expect((await peopleNamed(phone, original)).getByText(original)).toBeVisible({ timeout: 20_000 });
  }

  // Vic's phone has stored the app (its service worker is in control) before the signal goes.
  await controlled(vic.page);

  // Vic renames her without signal; the organiser renames her meanwhile, online. Vic's edit,
  // made without seeing the organiser's, wins, and the organiser's is kept as a conflict.
  await vic.context.setOffline(true);
  const fromVic = uniqueName('Alys');
  const fromOrganiser = uniqueName('Bethan');
  await rename(vic.page, original, fromVic);
  await rename(organiser, original, fromOrganiser);
  await allSent(organiser);
  await vic.context.setOffline(false);
  await allSent(vic.page);
  await syncNow(organiser);

  // Each phone says who set each value: "you", or the other's name where the phone knows it.
  await organiser.getByRole('link', { name: '1 conflict' }).click();
  await expect(organiser.getByRole('heading', { name: 'Conflicts' })).toBeVisible();
  const onOrganiser = conflictAbout(organiser, fromVic);
  await expect(onOrganiser).toContainText(`Now: ${fromVic} (by ${vic.name})`);
  await expect(onOrganiser).toContainText(`Overwritten: ${fromOrganiser} (by you)`);
  await expect(onOrganiser.getByRole('button', { name: `Keep “${fromVic}”` })).toBeVisible();
  await expect(onOrganiser.getByRole('button', { name: `Use “${fromOrganiser}”` })).toBeVisible();
  await checkControls(organiser, 'conflicts');
  await noSidewaysScroll(organiser, 'conflicts');
  await noAxeViolations(organiser, 'conflicts');

  await vic.page.getByRole('link', { name: '1 conflict' }).click();
  await expect(conflictAbout(vic.page, fromVic)).toContainText(`Now: ${fromVic} (by you)`);

  // The organiser, having seen Vic's value win, renames her once more: that settles it. It
  // leaves the organiser's list at once, and Vic's at the next sync, with no one resolving it.
  const settled = uniqueName('Catrin');
  await rename(organiser, fromVic, settled);
  await organiser.getByRole('link', { name: 'Organise' }).click();
  await organiser.getByRole('link', { name: 'Conflicts' }).first().click();
  await expect(organiser.getByText('No conflicts to resolve.')).toBeVisible();
  await allSent(organiser);
  await syncNow(vic.page);
  await expect(vic.page.getByText('No conflicts to resolve.')).toBeVisible();
  await expect(vic.page.getByRole('link', { name: '1 conflict' })).toHaveCount(0);
  await vic.page.reload();
  await expect(vic.page.getByRole('heading', { name: 'Conflicts' })).toBeVisible();
  await expect(vic.page.getByText('No conflicts to resolve.')).toBeVisible();
  await vic.context.close();
});
