// The community map from the screens alone. An organiser with no signal, at 360x640, adds a
// school to a ward (a blank name refused beside the field first), links two people to it as
// its leaders with their roles and links the two to each other, moves the relationship on,
// logs a one-to-one naming the school, and sees the ward's graph and, for the constituency,
// the gap in the other ward that has no school in touch. Back online, the constituency's admin
// on a laptop sees all of it after a sync; a volunteer in the ward pulls none of it.
import { expect, test, type Page } from '@playwright/test';
import {
  addPerson,
  controlled,
  pullAll,
  screenHolds,
  signIn,
  syncNow,
  syntheticVale,
  uniqueName,
  volunteer,
} from './support';

const PHONE = { viewport: { width: 360, height: 640 }, hasTouch: true };
const adminEmail = process.env.ORGANISE_DEMO_ADMIN_EMAIL!;
const adminPassword = process.env.ORGANISE_DEMO_ADMIN_PASSWORD!;

async function openMap(page: Page, area: string) {
  await page.getByRole('link', { name: 'Organise', exact: true }).click();
  await page.getByRole('link', { name: 'Community map', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Community map', level: 1 })).toBeVisible();
  await page.getByLabel('Area', { exact: true }).selectOption({ label: area });
}

/** Links `name` (found by search) the way `kind` says, to an organisation or another person. */
async function link(page: Page, name: string, kind: string, to: { organisation?: string; person?: string; role?: string }) {
  const form = page.getByRole('region', { name: 'Link someone' });
  await form.getByLabel('Who (find them by name, phone or email)').fill(name);
  await form.getByRole('button', { name, exact: true }).click();
  await form.getByLabel('How they are linked').selectOption({ label: kind });
  if (to.organisation) await form.getByLabel('To which organisation').selectOption({ label: to.organisation });
  if (to.role) await form.getByLabel('Their role there (optional)').fill(to.role);
  if (to.person) {
    await form.getByLabel('To whom (find them by name, phone or email)').fill(to.person);
    await form.getByRole('button', { name: to.person, exact: true }).click();
  }
  await form.getByRole('button', { name: 'Save link' }).click();
  await expect(form.getByText('Linked.')).toBeVisible();
}

test('the community map: an organisation with two leaders and a link, offline; the graph and the gaps', async ({ page, browser }) => {
  test.setTimeout(240_000);
  await page.setViewportSize(PHONE.viewport);
  await signIn(page);
  const { ward, wardName } = await syntheticVale(page.request);
  await syncNow(page);
  await controlled(page);

  await page.context().setOffline(true);
  const head = uniqueName('Nia');
  const chair = uniqueName('Rhys');
  await addPerson(page, head, wardName);
  await addPerson(page, chair, wardName);

  await openMap(page, wardName);
  // A blank name is refused beside its field.
  const add = page.getByRole('region', { name: 'Add an organisation' });
  await add.getByRole('button', { name: 'Add organisation' }).click();
  await expect(add.getByLabel('Its name')).toHaveAttribute('aria-invalid', 'true');
  const school = `${uniqueName('Ysgol')} Primary School`;
  await add.getByLabel('Its name').fill(school);
  await add.getByLabel('Kind of organisation').selectOption({ label: 'School' });
  await add.getByLabel('Where it is').selectOption({ label: wardName });
  await add.getByRole('button', { name: 'Add organisation' }).click();
  await expect(add.getByText(`${school} is on the map.`)).toBeVisible();

  await link(page, head, 'Leader of', { organisation: school, role: 'Head teacher' });
  await link(page, chair, 'Leader of', { organisation: school, role: 'Chair of governors' });
  await link(page, head, 'Knows', { person: chair });
  const row = page.locator(`.organisation[data-organisation="${school}"]`);
  await expect(row).toHaveAttribute('data-leaders', '2');
  await expect(row).toContainText(`${head} (Head teacher)`);
  await expect(row).toContainText(`${chair} (Chair of governors)`);
  await expect(row).toContainText('Not in touch yet');
  await row.getByLabel(`Relationship with ${school}`).selectOption({ label: 'Met' });
  await expect(row).toHaveAttribute('data-stage', 'met');
  // The ward's graph draws the school, both leaders and the lines between them.
  const graph = page.getByRole('region', { name: 'Relationships' });
  for (const name of [school, head, chair]) {
    await expect(graph.locator('svg text', { hasText: name })).toHaveCount(1);
  }
  expect(await graph.locator('svg line').count()).toBeGreaterThanOrEqual(3);
  await screenHolds(page, 'the community map of a ward');

  // A one-to-one with the head, naming the school, puts the school in touch.
  await page.getByRole('link', { name: 'Organise', exact: true }).click();
  await page.getByRole('link', { name: 'My week', exact: true }).click();
  await page.getByRole('link', { name: 'Log a one-to-one' }).click();
  await page.getByLabel('Find them by name, phone or email').fill(head);
  await page.getByRole('button', { name: head }).click();
  await page.getByLabel('Their organisation').selectOption({ label: school });
  await page.getByRole('button', { name: 'Save one-to-one' }).click();
  await expect(page.getByRole('heading', { name: 'My week', level: 1 })).toBeVisible();

  // For the constituency, this ward has its school in touch and the other ward does not.
  await openMap(page, 'Synthetic Vale');
  await expect(page.locator(`.organisation[data-organisation="${school}"]`)).toContainText('Last in touch');
  const gaps = page.getByRole('table');
  const ours = gaps.locator(`tr[data-ward="${wardName.trim()}"]`);
  await expect(ours.locator('td').first()).not.toContainText('School');
  const others = gaps.locator('tbody tr').filter({ hasNot: page.locator(`[data-ward="${wardName.trim()}"]`) });
  await expect(others.first().locator('td').first()).toContainText('School');
  await screenHolds(page, 'the community map of a constituency');

  // Back online, it all reaches the server.
  await page.context().setOffline(false);
  await syncNow(page);
  const pulled = await pullAll(page.request);
  const organisation = pulled.find((r) => r.collection === 'organisation' && r.fields.name.value.text === school);
  expect(organisation.fields.relationship.value.text).toBe('met');
  const links = pulled.filter((r) => r.collection === 'link' && (r.fields.organisation.value.id === organisation.id || r.fields.other.value.id));
  expect(links.filter((l) => l.fields.kind.value.text === 'leader' && l.fields.organisation.value.id === organisation.id)).toHaveLength(2);

  // The constituency's admin, on a laptop, sees it after a sync.
  const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const admin = await laptop.newPage();
  await signIn(admin, adminEmail, adminPassword);
  await syncNow(admin);
  await openMap(admin, 'Synthetic Vale');
  const seen = admin.locator(`.organisation[data-organisation="${school}"]`);
  await expect(seen).toHaveAttribute('data-leaders', '2');
  await expect(seen).toHaveAttribute('data-stage', 'met');
  await screenHolds(admin, 'the community map on a laptop');
  await laptop.close();

  // A volunteer in the ward pulls no organisation and no link.
  const helper = await volunteer(browser, page, ward.id, uniqueName('Volunteer'));
  const theirs = await pullAll(helper.page.request);
  expect(theirs.filter((r) => r.collection === 'organisation' || r.collection === 'link')).toHaveLength(0);
  await helper.context.close();
});
