// Local campaigns from the screens alone. An organiser with no signal, at 360x640, opens the
// listening results and starts a campaign from a ward's top ranked issue: says what winning
// looks like, who decides, a deadline and how winnable it is (a blank name refused beside its
// field first, with nothing typed lost); on the campaign's page links someone found by name,
// an organisation and a meeting (and a list, then takes it off again), adds two actions (one
// already overdue, said so in words; a blank one refused), marks one done and makes the
// campaign active, then changes who decides and takes its deadline away (a blank name refused
// first); the campaigns list says the same. Back online, the constituency's admin on
// a laptop sees the same campaign with the same counts after a sync, and the demo volunteer
// of the ward reads it with nothing to change.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { controlled, letters, pullAll, screenHolds, signIn, syncNow, uniqueName } from './support';

const PHONE = { viewport: { width: 360, height: 640 }, hasTouch: true };
const adminEmail = process.env.ORGANISE_DEMO_ADMIN_EMAIL!;
const adminPassword = process.env.ORGANISE_DEMO_ADMIN_PASSWORD!;
const volunteerEmail = process.env.ORGANISE_DEMO_VOLUNTEER_EMAIL!;
const volunteerPassword = process.env.ORGANISE_DEMO_VOLUNTEER_PASSWORD!;

/** `days` from today, as a date input takes it (yyyy-mm-dd). */
function isoDay(days: number): string {
  return new Date(Date.now() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** `text` as a regular expression matches it. */
function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Adds someone to `wardName` from the People screen (the form beside the filters). */
async function addPerson(page: Page, name: string, wardName: string) {
  await page.getByRole('link', { name: 'Organise', exact: true }).click();
  await page.getByRole('link', { name: 'People' }).first().click();
  const form = page.getByRole('form', { name: 'Add a person' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Area', { exact: true }).selectOption({ label: wardName });
  await form.getByRole('button', { name: 'Save person' }).click();
  await page.getByLabel('Search by name, phone, email or postcode').fill(name);
  await expect(page.getByRole('list', { name: 'People' }).getByRole('link', { name })).toBeVisible();
}

/** Opens Campaigns from the start screen. */
async function openCampaigns(page: Page) {
  await page.getByRole('link', { name: 'Organise', exact: true }).click();
  await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Campaigns', level: 1 })).toBeVisible();
}

/** The counts a campaign's page shows, as its summary's data attributes hold them. */
async function counts(summary: Locator) {
  const read = async (name: string) => summary.getAttribute(`data-${name}`);
  return {
    status: await read('status'),
    people: await read('people'),
    organisations: await read('organisations'),
    meetings: await read('meetings'),
    lists: await read('lists'),
    done: await read('done'),
    toDo: await read('to-do'),
    overdue: await read('overdue'),
  };
}

/** Chooses the first thing on offer in `select` (after "Choose one") and returns its name. */
async function chooseFirst(select: Locator): Promise<string> {
  await expect(select.locator('option')).not.toHaveCount(1);
  const name = ((await select.locator('option').nth(1).textContent()) ?? '').trim();
  await select.selectOption({ index: 1 });
  return name;
}

test('a campaign from a ward’s top issue, offline: linked, acted on, read by the admin and the volunteer', async ({ page, browser }) => {
  test.setTimeout(300_000);

  // The demo volunteer's ward, so that they read the campaign too.
  const volunteerContext = await browser.newContext(PHONE);
  const volunteer = await volunteerContext.newPage();
  await signIn(volunteer, volunteerEmail, volunteerPassword);
  const theirs = await pullAll(volunteer.request);
  const role = theirs.find((r) => r.collection === 'role_assignment');
  expect(role, 'the demo volunteer has a role').toBeTruthy();
  const roleArea = role.area?.value ?? role.area;
  const ward = theirs.find((r) => r.collection === 'area' && r.id === roleArea);
  const wardName: string = ward.fields.name.value.text;

  await page.setViewportSize(PHONE.viewport);
  await signIn(page);
  await syncNow(page);
  await controlled(page);
  await page.context().setOffline(true);
  const person = uniqueName('Ffion');
  await addPerson(page, person, wardName);

  // The ward's top issue on the listening results starts the campaign.
  await page.getByRole('link', { name: 'Organise', exact: true }).click();
  await page.getByRole('link', { name: 'Listening results', exact: true }).click();
  await page.getByRole('button', { name: 'All time' }).click();
  const wardResults = page.locator('.results__ward').filter({ has: page.getByRole('heading', { name: wardName, exact: true }) });
  const top = wardResults.locator('.bars__item').first();
  const issue = ((await top.locator('.bars__name').textContent()) ?? '').trim();
  expect(issue).not.toBe('');
  await top.getByRole('link', { name: `Start a campaign on ${issue} in ${wardName}` }).click();
  await expect(page.getByRole('heading', { name: 'Start a campaign', level: 1 })).toBeVisible();
  const name = page.getByLabel('Name', { exact: true });
  await expect(name).toHaveValue(issue);
  await expect(page.getByLabel('Ward', { exact: true }).locator('option:checked')).toHaveText(wardName);
  await expect(page.getByLabel('Issue, most raised first').locator('option:checked')).toContainText(issue);

  const goal = `Every damp flat on the ${letters(12)} estate repaired by the council, with a date for each`;
  const decider = "The council's housing committee";
  await page.getByLabel('What winning looks like').fill(goal);
  await page.getByLabel('Who decides').fill(decider);
  await page.getByLabel('Deadline (optional)').fill(isoDay(90));
  await page.locator('label[for="campaign-winnable-4"]').click();
  await expect(page.getByRole('radio', { name: '4 of 5' })).toBeChecked();

  // A blank name is refused beside its field, and nothing typed is lost.
  await name.fill('');
  await page.getByRole('button', { name: 'Save campaign' }).click();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#campaign-name-problem')).toHaveText('This must not be empty.');
  await expect(page.getByLabel('What winning looks like')).toHaveValue(goal);
  await expect(page.getByLabel('Who decides')).toHaveValue(decider);
  await expect(page.getByLabel('Deadline (optional)')).toHaveValue(isoDay(90));
  await expect(page.getByRole('radio', { name: '4 of 5' })).toBeChecked();
  // A long name, with a word longer than the screen is wide, must wrap.
  const campaign = `${issue} on the ${letters(48)} estate ${uniqueName('Campaign')}`;
  await name.fill(campaign);
  await screenHolds(page, 'the new campaign form');
  await page.getByRole('button', { name: 'Save campaign' }).click();
  await expect(page.getByRole('heading', { name: campaign, level: 1 })).toBeVisible();
  const summary = page.locator('.campaign__summary');
  await expect(summary).toHaveAttribute('data-status', 'exploring');
  await expect(summary).toContainText(`In ${wardName}`);
  await expect(summary).toContainText(goal);
  await expect(summary).toContainText(decider);
  await expect(summary).toContainText('Winnable: 4 of 5');
  await expect(summary.locator('.campaign__deadline')).toHaveAttribute('data-passed', 'false');

  // Someone found by name, an organisation and a meeting near the ward; a list, taken off again.
  const people = page.getByRole('region', { name: 'People' });
  await people.getByLabel('Add someone (find them by name, phone or email)').fill(person);
  await people.getByRole('button', { name: `Add ${person}` }).click();
  await expect(people.locator(`.campaign__linked[data-name="${person}"]`)).toBeVisible();
  const organisations = page.getByRole('region', { name: 'Organisations' });
  const organisation = await chooseFirst(organisations.getByLabel('Add an organisation'));
  await organisations.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(organisations.locator('.campaign__linked-name')).toHaveText([organisation]);
  const meetings = page.getByRole('region', { name: 'Meetings' });
  const meeting = await chooseFirst(meetings.getByLabel('Add a meeting'));
  await meetings.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(meetings.locator('.campaign__linked-name')).toHaveText([meeting]);
  const lists = page.getByRole('region', { name: 'Walk and call lists' });
  const list = await chooseFirst(lists.getByLabel('Add a list'));
  await lists.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(lists.locator('.campaign__linked-name')).toHaveText([list]);
  await lists.getByRole('button', { name: `Remove ${list} from the campaign` }).click();
  await expect(lists.locator('.campaign__linked')).toHaveCount(0);
  await expect(lists.getByText('None yet.')).toBeVisible();

  // Two actions, one overdue already (a blank one refused first); one marked done.
  const actions = page.getByRole('region', { name: 'Actions' });
  await actions.getByRole('button', { name: 'Add action' }).click();
  await expect(actions.getByLabel('What was done, or is to do')).toHaveAttribute('aria-invalid', 'true');
  await expect(actions.locator('#action-what-problem')).toHaveText('This must not be empty.');
  const late = 'Ask the council for its repair and complaint figures';
  const next = 'Book the community hall for the public meeting';
  await actions.getByLabel('What was done, or is to do').fill(late);
  await actions.getByLabel('Due (optional)').fill(isoDay(-5));
  await actions.getByRole('button', { name: 'Add action' }).click();
  await expect(actions.getByText('Action added.')).toBeVisible();
  await actions.getByLabel('What was done, or is to do').fill(next);
  await actions.getByLabel('Due (optional)').fill(isoDay(14));
  await actions.getByRole('button', { name: 'Add action' }).click();
  const toDo = actions.getByRole('list', { name: 'To do' });
  await expect(toDo.locator('.campaign__action')).toHaveCount(2);
  // Soonest due first; the overdue one says so in words.
  await expect(toDo.locator('.campaign__action').first()).toHaveAttribute('data-what', late);
  await expect(toDo.locator(`[data-what="${late}"]`)).toHaveAttribute('data-overdue', 'true');
  await expect(toDo.locator(`[data-what="${late}"]`)).toContainText('Overdue: was due');
  await expect(toDo.locator(`[data-what="${next}"]`)).toContainText('Due ');
  await actions.getByRole('button', { name: `Done: ${next}` }).click();
  await expect(actions.getByRole('list', { name: 'Done' }).locator(`[data-what="${next}"]`)).toContainText('Done ');
  await expect(toDo.locator('.campaign__action')).toHaveCount(1);

  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Active' });
  await expect(summary).toHaveAttribute('data-status', 'active');
  const expected = {
    status: 'active',
    people: '1',
    organisations: '1',
    meetings: '1',
    lists: '0',
    done: '1',
    toDo: '1',
    overdue: '1',
  };
  expect(await counts(summary)).toEqual(expected);
  await expect(summary).toContainText('1 person, 1 organisation, 1 meeting, 0 lists');
  await expect(summary).toContainText('1 done, 1 to do, 1 overdue');
  await screenHolds(page, 'a campaign’s page');

  // What it is for, changed in place: a blank name refused beside it with what was typed
  // kept and nothing saved; then a new decider and no deadline saved, and nothing else.
  await page.getByText('Change what it is for').click();
  const edit = page.locator('details.campaign__edit');
  const editName = edit.getByLabel('Name', { exact: true });
  await expect(editName).toHaveValue(campaign);
  await expect(edit.getByLabel('What winning looks like')).toHaveValue(goal);
  const newDecider = `The council's cabinet member for ${letters(10)}`;
  await edit.getByLabel('Who decides').fill(newDecider);
  await editName.fill(' ');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(editName).toHaveAttribute('aria-invalid', 'true');
  await expect(edit.locator('#campaign-name-problem')).toHaveText('This must not be empty.');
  await expect(edit.getByLabel('Who decides')).toHaveValue(newDecider);
  await expect(summary).toContainText(decider);
  await editName.fill(campaign);
  await edit.getByLabel('Deadline (optional)').fill('');
  await screenHolds(page, 'a campaign being changed');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.getByRole('status')).toHaveText('Saved.');
  await expect(summary).toContainText(newDecider);
  await expect(summary.locator('.campaign__deadline')).toHaveText('No deadline set');
  await expect(summary).toContainText(goal);
  await expect(summary).toContainText('Winnable: 4 of 5');
  await expect(summary).toHaveAttribute('data-status', 'active');

  // The campaigns list: under Active, with its ward, how winnable and what is overdue.
  await openCampaigns(page);
  const active = page.getByRole('region', { name: 'Active' });
  const row = active.locator(`.campaign-row[data-campaign="${campaign}"]`);
  await expect(row).toHaveAttribute('data-status', 'active');
  await expect(row).toHaveAttribute('data-overdue', 'true');
  await expect(row).toContainText(`In ${wardName}`);
  await expect(row).toContainText('Winnable: 4 of 5');
  await expect(row).toContainText(`Overdue, was due`);
  await expect(row).toContainText(late);
  await screenHolds(page, 'the campaigns');

  // Back online, it all reaches the server.
  await page.context().setOffline(false);
  await syncNow(page);
  const pulled = await pullAll(page.request);
  const stored = pulled.find((r) => r.collection === 'campaign' && r.fields.name.value.text === campaign);
  expect(stored, 'the campaign reached the server').toBeTruthy();
  expect(stored.fields.status.value.text).toBe('active');
  expect(stored.fields.decider.value.text).toBe(newDecider);
  expect(stored.fields.deadline.value).toBe('null');
  expect(stored.fields.goal.value.text).toBe(goal);
  expect(pulled.filter((r) => r.collection === 'campaign_action' && r.fields.campaign.value.id === stored.id)).toHaveLength(2);

  // The constituency's admin, on a laptop, sees the same campaign after a sync.
  const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const admin = await laptop.newPage();
  await signIn(admin, adminEmail, adminPassword);
  await syncNow(admin);
  await openCampaigns(admin);
  await admin.getByRole('link', { name: new RegExp(`^${escaped(campaign)}`) }).click();
  await expect(admin.getByRole('heading', { name: campaign, level: 1 })).toBeVisible();
  const theirSummary = admin.locator('.campaign__summary');
  await expect(theirSummary).toHaveAttribute('data-status', 'active');
  expect(await counts(theirSummary)).toEqual(expected);
  await expect(theirSummary).toContainText(newDecider);
  await expect(admin.getByLabel('Status', { exact: true })).toBeVisible();
  await expect(admin.getByRole('region', { name: 'People' }).locator('.campaign__linked-name')).toHaveText([person]);
  await screenHolds(admin, 'a campaign’s page on a laptop');
  await laptop.close();

  // The ward's volunteer reads it, with nothing to change.
  await syncNow(volunteer);
  await openCampaigns(volunteer);
  await expect(volunteer.getByRole('link', { name: 'Start a campaign' })).toHaveCount(0);
  await volunteer.getByRole('link', { name: new RegExp(`^${escaped(campaign)}`) }).click();
  await expect(volunteer.getByRole('heading', { name: campaign, level: 1 })).toBeVisible();
  const readOnly = volunteer.locator('.campaign__summary');
  await expect(readOnly).toHaveAttribute('data-status', 'active');
  expect(await counts(readOnly)).toEqual(expected);
  await expect(readOnly).toContainText('Status: Active');
  await expect(readOnly).toContainText("Only the ward's organisers change this campaign.");
  await expect(volunteer.getByText('Change what it is for')).toHaveCount(0);
  await expect(volunteer.locator('main select, main input, main textarea')).toHaveCount(0);
  await expect(volunteer.locator('main button')).toHaveCount(0);
  await expect(volunteer.getByRole('list', { name: 'To do' }).locator(`[data-what="${late}"]`)).toContainText('Overdue: was due');
  await screenHolds(volunteer, 'a campaign’s page, read only');
  await volunteerContext.close();
});
