// The ladder of engagement from the screens alone. An organiser with no signal, at 360x640,
// puts someone new on the ladder from their page with one tap, moves them again with a reason,
// moves someone else from a one-to-one and a third from a meeting's attendance; the area's
// chart counts them and lists who moved.
// Back online the moves reach the server. The national admin, on a laptop, adds a rung (a
// blank name is refused beside the field) and retires it, and the organiser's phone offers it
// only while it is open; then invites a second organiser of the constituency from the screens,
// whose own laptop, after a sync, shows the moves and their reasons. A volunteer sees the rungs
// but no one's moves.
import { expect, test, type Page } from '@playwright/test';
import {
  addPerson,
  chooseArea,
  controlled,
  letters,
  pullAll,
  screenHolds,
  signIn,
  syncNow,
  syntheticVale,
  uniqueName,
  volunteer,
} from './support';

const PHONE = { viewport: { width: 360, height: 640 }, hasTouch: true };
const nationalEmail = process.env.ORGANISE_DEMO_NATIONAL_EMAIL!;
const nationalPassword = process.env.ORGANISE_DEMO_NATIONAL_PASSWORD!;

async function home(page: Page) {
  await page.getByRole('link', { name: 'Organise', exact: true }).click();
}

async function openLadder(page: Page) {
  await home(page);
  await page.getByRole('link', { name: 'The ladder', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'The ladder', level: 1 })).toBeVisible();
}

/** How many people the chart puts on `rung`. */
async function onRung(page: Page, rung: string): Promise<number> {
  return Number(await page.locator(`.ladder__count[data-rung="${rung}"]`).getAttribute('data-count'));
}

test('the ladder: moves from a person page, a one-to-one and a meeting, offline; the chart; the rungs', async ({ page, browser }) => {
  test.setTimeout(240_000);
  await page.setViewportSize(PHONE.viewport);
  await signIn(page);
  const { ward, wardName } = await syntheticVale(page.request);
  await syncNow(page);
  await controlled(page);
  await openLadder(page);
  const hostsBefore = await onRung(page, 'Host');
  const volunteersBefore = await onRung(page, 'Volunteer');
  const fromMeetings = (records: any[]) =>
    records.filter((r) => r.collection === 'ladder_move' && r.fields.meeting.value.id).length;
  const fromMeetingsBefore = fromMeetings(await pullAll(page.request));

  await page.context().setOffline(true);

  // Someone new goes onto the ladder with one tap, then up to Host with a reason.
  const ceri = uniqueName('Ceri');
  await addPerson(page, ceri, wardName);
  const ladder = page.getByRole('region', { name: 'On the ladder' });
  await expect(ladder).toContainText('Not on the ladder yet.');
  await ladder.getByRole('button', { name: 'Move up to Supporter' }).click();
  await expect(ladder.locator('.person-ladder__rung')).toHaveText('On the ladder as Supporter.');
  await ladder.getByText('Move to another rung').click();
  // Choosing no rung is refused beside the field.
  await ladder.getByRole('button', { name: 'Move', exact: true }).click();
  await expect(ladder.getByLabel('Rung')).toHaveAttribute('aria-invalid', 'true');
  await expect(ladder).toContainText('Choose the rung to move them to.');
  await ladder.getByLabel('Rung').selectOption({ label: 'Host' });
  await ladder.getByLabel('Why (optional)').fill('Ran the street stall on her own');
  await ladder.getByRole('button', { name: 'Move', exact: true }).click();
  await expect(ladder.locator('.person-ladder__rung')).toHaveText('On the ladder as Host.');
  const history = ladder.locator('.ladder-history li');
  await expect(history).toHaveCount(2);
  await expect(history.first()).toContainText('From Supporter to Host');
  await expect(history.first()).toContainText('Ran the street stall on her own');
  await expect(history.last()).toContainText('Onto the ladder as Supporter');
  await screenHolds(page, 'a person on the ladder');

  // A one-to-one moves someone new straight to Volunteer.
  const owain = uniqueName('Owain');
  await home(page);
  await page.getByRole('link', { name: 'My week', exact: true }).click();
  await page.getByRole('link', { name: 'Log a one-to-one' }).click();
  await page.getByLabel('Someone new').check();
  await page.getByLabel('Their name').fill(owain);
  await page.getByLabel('Their area').selectOption({ label: wardName });
  await page.getByLabel('Move them on the ladder').selectOption({ label: 'Volunteer' });
  await page.getByRole('button', { name: 'Save one-to-one' }).click();
  await expect(page.getByRole('heading', { name: 'My week', level: 1 })).toBeVisible();

  // The chart counts both, and lists them among those who moved lately.
  await openLadder(page);
  await expect.poll(() => onRung(page, 'Host')).toBe(hostsBefore + 1);
  await expect.poll(() => onRung(page, 'Volunteer')).toBe(volunteersBefore + 1);
  const recent = page.getByRole('region', { name: 'Moved in the last 30 days' });
  await expect(recent.getByRole('link', { name: new RegExp(ceri) }).first()).toContainText('Up from Supporter to Host');
  await expect(recent.getByRole('link', { name: new RegExp(owain) })).toContainText('Onto the ladder as Volunteer');
  await screenHolds(page, 'the ladder');

  // From a meeting's attendance: someone who came moves up one rung, naming the meeting.
  await home(page);
  await page.getByRole('link', { name: 'Meetings', exact: true }).first().click();
  await page.getByRole('link', { name: /Damp, rents and repairs/ }).first().click();
  await page.getByRole('button', { name: /^Move up to .+: / }).first().click();
  await expect(page.getByText(/^Moved to /).first()).toBeVisible();
  await screenHolds(page, "a meeting's attendees");

  // Back online, the moves reach the server, each naming what it came from.
  await page.context().setOffline(false);
  await syncNow(page);
  const pulled = await pullAll(page.request);
  const idOf = (name: string) => pulled.find((r) => r.collection === 'person' && r.fields.name.value.text === name)?.id;
  const movesOf = (name: string) => pulled.filter((r) => r.collection === 'ladder_move' && r.fields.person.value.id === idOf(name));
  expect(movesOf(ceri)).toHaveLength(2);
  expect(movesOf(ceri).map((m) => m.fields.why.value.text ?? null)).toContain('Ran the street stall on her own');
  expect(movesOf(owain)).toHaveLength(1);
  expect(movesOf(owain)[0].fields.one_to_one.value.id).toBeTruthy();
  expect(fromMeetings(pulled)).toBe(fromMeetingsBefore + 1);

  // The national admin, on a laptop, adds a rung and retires it.
  const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const admin = await laptop.newPage();
  await signIn(admin, nationalEmail, nationalPassword);
  await syncNow(admin);
  await openLadder(admin);
  const rungs = admin.getByRole('region', { name: 'The rungs' });
  await rungs.getByRole('button', { name: 'Add rung' }).click();
  await expect(rungs.getByLabel('New rung')).toHaveAttribute('aria-invalid', 'true');
  const steward = uniqueName('Steward');
  await rungs.getByLabel('New rung').fill(steward);
  await rungs.getByRole('button', { name: 'Add rung' }).click();
  await expect(rungs.locator(`.rung[data-rung="${steward}"]`)).toBeVisible();
  await screenHolds(admin, 'the rungs');
  await syncNow(admin);

  // The organiser's phone offers the new rung.
  await syncNow(page);
  await addPerson(page, uniqueName('Dewi'), wardName);
  await page.getByText('Move to another rung').click();
  await expect(page.getByLabel('Rung').locator('option', { hasText: steward })).toHaveCount(1);

  // Retired, it is offered no more, and stays in the admins' list.
  await rungs.getByRole('button', { name: `Retire ${steward}` }).click();
  await expect(rungs.locator(`.rung[data-rung="${steward}"]`)).toHaveAttribute('data-retired', 'true');
  await syncNow(admin);

  // A second organiser of the constituency, invited by the national admin from the screens,
  // joins on their own laptop and after a sync sees the moves: the chart lists both people
  // among those who moved, and Ceri's page holds her history with its reason.
  await home(admin);
  await admin.getByRole('link', { name: 'Invite people' }).first().click();
  const colleague = uniqueName('Colleague');
  await admin.getByLabel('Their name').fill(colleague);
  await admin.getByLabel('Role').selectOption({ label: 'Organiser' });
  await chooseArea(admin.getByLabel('Area'), 'Synthetic Vale');
  await admin.getByRole('button', { name: 'Make invitation link' }).click();
  const link = await admin.getByLabel(`Invitation link for ${colleague}`).inputValue();
  await laptop.close();
  const theirs = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const second = await theirs.newPage();
  await second.goto(link);
  await expect(second.getByText('You are invited as Organiser in Synthetic Vale.')).toBeVisible();
  await second.getByLabel('Your email').fill(`${letters(10)}@example.invalid`);
  await second.getByLabel('Choose a password').fill('a long synthetic organiser password');
  await second.getByRole('button', { name: 'Join and sign in' }).click();
  await expect(second.getByRole('heading', { name: `Hello, ${colleague}` })).toBeVisible();
  await syncNow(second);
  await openLadder(second);
  const theirRecent = second.getByRole('region', { name: 'Moved in the last 30 days' });
  await expect(theirRecent.getByRole('link', { name: new RegExp(ceri) }).first()).toContainText('Up from Supporter to Host');
  await expect(theirRecent.getByRole('link', { name: new RegExp(owain) })).toContainText('Onto the ladder as Volunteer');
  await theirRecent.getByRole('link', { name: new RegExp(ceri) }).first().click();
  const theirHistory = second.getByRole('region', { name: 'On the ladder' }).locator('.ladder-history li');
  await expect(theirHistory).toHaveCount(2);
  await expect(theirHistory.first()).toContainText('Ran the street stall on her own');
  await screenHolds(second, "a second organiser's ladder");
  await theirs.close();
  await syncNow(page);
  await expect(page.getByLabel('Rung').locator('option', { hasText: steward })).toHaveCount(0);

  // A volunteer in the ward sees the rungs but nobody's moves.
  const helper = await volunteer(browser, page, ward.id, uniqueName('Volunteer'));
  const seen = await pullAll(helper.page.request);
  expect(seen.filter((r) => r.collection === 'rung').length).toBeGreaterThanOrEqual(5);
  expect(seen.filter((r) => r.collection === 'ladder_move')).toHaveLength(0);
  await helper.page.goto('/ladder');
  await expect(helper.page.getByText('The ladder of engagement is kept by organisers')).toBeVisible();
  await helper.context.close();
});
