// Training from the screens alone. An organiser at 360x640 records a training by hand on
// someone's page (a blank module and a day still to come refused beside their fields, with
// what was typed kept), then makes a training meeting that began an hour ago, signs two people
// in at it with no signal, and records everyone who came as trained from the meeting's page
// (pressed twice, recorded once). The *Training* screen then finds the three trained in the
// module in the ward, and the person's page lists it. Back online, the constituency's admin on
// a laptop finds the same three after a sync; the demo volunteer of the ward has no training
// screen and holds no training record.
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
} from './support';

const PHONE = { viewport: { width: 360, height: 640 }, hasTouch: true };
const LAPTOP = { viewport: { width: 1280, height: 800 } };
const adminEmail = process.env.ORGANISE_DEMO_ADMIN_EMAIL!;
const adminPassword = process.env.ORGANISE_DEMO_ADMIN_PASSWORD!;
const volunteerEmail = process.env.ORGANISE_DEMO_VOLUNTEER_EMAIL!;
const volunteerPassword = process.env.ORGANISE_DEMO_VOLUNTEER_PASSWORD!;

/** Opens the *Training* screen from the start screen. */
async function openTraining(page: Page) {
  await page.getByRole('link', { name: 'Organise', exact: true }).click();
  await page.getByRole('link', { name: 'Training', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Training', level: 1 })).toBeVisible();
}

/** A local date and time `hours` from now, as a datetime input takes it, in the page's zone. */
async function localTime(page: Page, hours: number): Promise<string> {
  return page.evaluate((hours) => {
    const at = new Date(Date.now() + hours * 3600 * 1000);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
  }, hours);
}

test.use(PHONE);

test('an organiser records training by hand and from a training meeting, and finds who is trained in a ward', async ({
  page,
  context,
  browser,
}) => {
  test.setTimeout(240_000);
  await signIn(page);
  const { wardName } = await syntheticVale(page.request);
  await syncNow(page);
  await controlled(page);
  const module = `Phone banking ${letters(6)}`;

  // The demo's trainings are there to read before anything is recorded.
  await openTraining(page);
  await page.getByLabel('Module').selectOption({ label: 'Door knocking' });
  await expect(page.getByRole('status').filter({ hasText: /trained in Door knocking here/ })).toBeVisible();
  await screenHolds(page, 'training');

  // By hand, on someone's page, with no signal.
  await context.setOffline(true);
  const trainee = uniqueName('Tegan');
  await addPerson(page, trainee, wardName);
  const record = page.getByRole('region', { name: 'Record a training' });
  await record.getByLabel('Day they were trained').fill('2099-01-01');
  await record.getByRole('button', { name: 'Record training' }).click();
  await expect(record.getByLabel('Module')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#record-training-module-problem')).not.toBeEmpty();
  await expect(page.locator('#record-training-on-problem')).not.toBeEmpty();
  await expect(record.getByLabel('Day they were trained')).toHaveValue('2099-01-01');
  await screenHolds(page, 'a training refused');
  const today = new Date().toISOString().slice(0, 10);
  await record.getByLabel('Module').fill(`  ${module} `);
  await record.getByLabel('Day they were trained').fill(today);
  await record.getByRole('button', { name: 'Record training' }).click();
  await expect(record.getByRole('status')).toHaveText(new RegExp(`^Recorded: trained in ${module} on `));
  await expect(record.getByLabel('Module')).toHaveValue('');
  const trainingSection = page.getByRole('region', { name: 'Training', exact: true });
  await expect(trainingSection).toContainText(module);

  // A training meeting that began an hour ago, and two people signed in at it.
  await page.getByRole('link', { name: 'Organise', exact: true }).click();
  await page.getByRole('link', { name: 'Meetings', exact: true }).click();
  await page.getByRole('link', { name: 'New meeting' }).click();
  const title = `Phone banking evening ${letters(40)}`;
  await page.getByLabel('Kind of meeting').selectOption({ label: 'Training' });
  await page.getByLabel('Title').fill(title);
  await chooseArea(page.getByLabel('Area'), wardName);
  await page.getByLabel('Where').fill('The community hall, Synthetic Road');
  await page.getByLabel('Starts').fill(await localTime(page, -1));
  await page.getByLabel('Ends').fill(await localTime(page, 1));
  await page.getByRole('button', { name: 'Save meeting' }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  // Nobody came yet: pressing records no one.
  const fromMeeting = page.getByRole('region', { name: 'Training given at this meeting' });
  await fromMeeting.getByLabel('Module').fill(module);
  await fromMeeting.getByRole('button', { name: 'Record everyone who came as trained' }).click();
  await expect(fromMeeting.getByRole('status')).toHaveText('Everyone who came is already recorded as trained in this module.');

  await page.getByLabel('Choose a PIN to leave sign-in (4 to 8 digits)').fill('2468');
  await page.getByRole('button', { name: 'Start sign-in' }).click();
  await expect(page.getByRole('heading', { name: `Welcome to ${title}` })).toBeVisible();
  const came = [uniqueName('Ifan'), uniqueName('Lowri')];
  for (const [n, who] of came.entries()) {
    await page.getByLabel('Your name').fill(who);
    await page.getByLabel('Email', { exact: true }).fill(`${letters(10)}@example.invalid`);
    await page.getByLabel('Email me').check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText(`${n + 1} ${n === 0 ? 'person' : 'people'} signed in so far.`)).toBeVisible();
  }
  await page.getByRole('button', { name: 'Leave sign-in (host)' }).click();
  await page.getByLabel("The host's PIN").fill('2468');
  await page.getByRole('button', { name: 'Leave sign-in', exact: true }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();

  // A blank module is refused beside its field; then everyone who came, once.
  await fromMeeting.getByLabel('Module').fill('   ');
  await fromMeeting.getByRole('button', { name: 'Record everyone who came as trained' }).click();
  await expect(fromMeeting.getByLabel('Module')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#meeting-training-module-problem')).not.toBeEmpty();
  await fromMeeting.getByLabel('Module').fill(module);
  await fromMeeting.getByRole('button', { name: 'Record everyone who came as trained' }).click();
  await expect(fromMeeting.getByRole('status')).toHaveText('2 people recorded as trained.');
  await expect(fromMeeting.getByText(`2 people recorded as trained in ${module}`)).toBeVisible();
  await fromMeeting.getByRole('button', { name: 'Record everyone who came as trained' }).click();
  await expect(fromMeeting.getByRole('status')).toHaveText('Everyone who came is already recorded as trained in this module.');
  await expect(fromMeeting.getByText(`2 people recorded as trained in ${module}`)).toBeVisible();
  await screenHolds(page, 'a training meeting with its trainings');

  // Who in the ward is trained in the module: the three, each with the day, two at the meeting.
  await openTraining(page);
  await chooseArea(page.getByLabel('Where'), wardName);
  await page.getByLabel('Module').selectOption({ label: module });
  await expect(page.getByRole('status').filter({ hasText: 'trained in' })).toHaveText(`3 people trained in ${module} here.`);
  const trained = page.getByRole('list', { name: 'People trained' });
  for (const who of [trainee, ...came]) await expect(trained.getByRole('link', { name: new RegExp(who) })).toBeVisible();
  await expect(trained.getByRole('link', { name: `At ${title}` })).toHaveCount(2);
  await screenHolds(page, 'who is trained');
  await trained.getByRole('link', { name: new RegExp(came[0]) }).click();
  await expect(page.getByRole('heading', { name: came[0], level: 1 })).toBeVisible();
  await expect(trainingSection).toContainText(module);

  // Back online: the server holds three trainings in the module, two naming the meeting.
  await context.setOffline(false);
  await syncNow(page);
  const records = await pullAll(page.request);
  const trainings = records.filter((r) => r.collection === 'training' && r.fields.module.value.text === module);
  expect(trainings.length).toBe(3);
  expect(trainings.filter((t) => t.fields.meeting.value !== 'null').length).toBe(2);

  // The constituency's admin, on a laptop, finds the same three after a sync.
  const laptop = await browser.newContext(LAPTOP);
  const admin = await laptop.newPage();
  await signIn(admin, adminEmail, adminPassword);
  await syncNow(admin);
  await openTraining(admin);
  await chooseArea(admin.getByLabel('Where'), 'Synthetic Vale');
  await admin.getByLabel('Module').selectOption({ label: module });
  await expect(admin.getByRole('status').filter({ hasText: 'trained in' })).toHaveText(`3 people trained in ${module} here.`);
  await screenHolds(admin, 'who is trained, on a laptop');
  await laptop.close();

  // The ward's volunteer has no training screen and holds no training.
  const other = await browser.newContext(PHONE);
  const volunteer = await other.newPage();
  await signIn(volunteer, volunteerEmail, volunteerPassword);
  await syncNow(volunteer);
  await expect(volunteer.getByRole('link', { name: 'Training', exact: true })).toHaveCount(0);
  await volunteer.goto('/training');
  await expect(volunteer.getByText('Training records are for organisers.')).toBeVisible();
  expect((await pullAll(volunteer.request)).filter((r) => r.collection === 'training')).toEqual([]);
  await other.close();
});
