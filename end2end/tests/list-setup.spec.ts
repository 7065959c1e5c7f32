// An organiser's tools for a walk list, at 360x640: writing a script and a survey for it,
// the volunteer reading the script and answering the survey at the door, the answers
// tallied for the organiser, and taking the volunteer off the list, after which the list and
// its people leave the volunteer's phone at the next sync.
import { expect, test } from '@playwright/test';
import { allSent, checkControls, letters, peopleNamed, pullAll, signIn, syncNow, syntheticVale, volunteer, chooseArea } from './support';

// The list's setup panel is sometimes drawn afresh when a change saved from it syncs, which
// closes it and drops its confirmation: a client defect still open. Until it is fixed this
// spec is given one retry; a run that passes only on the retry is reported as flaky.
test.describe.configure({ retries: 1 });

test('a list carries its script and survey to the door, and leaves a phone when taken off it', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const organiser = page;
  await signIn(organiser);
  const { ward, wardName } = await syntheticVale(organiser.request);
  const vic = await volunteer(browser, organiser, ward.id, `Vic ${letters(6)}`);

  // A list of one street, given to Vic.
  await organiser.goto('/lists');
  await syncNow(organiser);
  await organiser.getByRole('link', { name: 'New walk list' }).click();
  const listName = `Survey ${letters(6)}`;
  await organiser.getByLabel('Name').fill(listName);
  await chooseArea(organiser.getByLabel('Area'), wardName);
  const street = organiser.getByLabel('Street');
  await expect(street.locator('option')).not.toHaveCount(1);
  // The last street in the ward: the doorstep shift, if it ran first, knocked the first ones.
  await street.selectOption({ index: (await street.locator('option').count()) - 1 });
  const streetName = await street.inputValue();
  const peopleOn = async () =>
    Number((await organiser.getByText(/people on this list\./).textContent())!.match(/(\d+) people on this list/)![1]);
  const onStreet = await peopleOn();
  expect(onStreet).toBeGreaterThan(2);
  await organiser.getByRole('checkbox', { name: vic.name }).check();
  await organiser.getByRole('button', { name: 'Save walk list' }).click();
  await expect(organiser.getByRole('heading', { name: listName })).toBeVisible();
  const listUrl = organiser.url();

  // Its script and survey, written on the list's page.
  await organiser.getByText('Volunteers, script and survey').click();
  await expect(organiser.getByRole('list', { name: 'Working this list' })).toContainText(vic.name);
  await organiser.getByText('Write a new script').click();
  await organiser.getByLabel('Title').first().fill('Buses first');
  await organiser.getByLabel('What to say').fill('Hello, we are listening to neighbours.\nWhat would make the buses work for you?');
  await organiser.getByRole('button', { name: 'Save script' }).click();
  await expect(organiser.getByText('The script "Buses first" is saved for this list.')).toBeVisible();
  await expect(organiser.getByLabel('Script for this list').locator('option:checked')).toHaveText('Buses first');

  await organiser.getByText('Write a new survey').click();
  await organiser.locator('#survey-title').fill('Bus survey');
  await organiser.locator('#question-0').fill('Do you use the bus?');
  await organiser.locator('#choices-0').fill('Daily\nWeekly\nNever');
  await organiser.getByRole('button', { name: 'Add a question' }).click();
  await organiser.locator('#question-1').fill('Which route would you bring back?');
  await organiser.getByRole('button', { name: 'Save survey' }).click();
  await expect(organiser.getByText('The survey "Bus survey" is saved for this list.')).toBeVisible();
  await expect(organiser.getByLabel('Survey for this list').locator('option:checked')).toHaveText('Bus survey');
  await checkControls(organiser, 'a list with its tools open');
  await allSent(organiser);

  // At the door: the script a tap away, the survey in the conversation.
  const shift = vic.page;
  await shift.goto('/lists');
  await syncNow(shift);
  await shift.getByRole('link', { name: new RegExp(listName) }).click();
  await shift.getByRole('link', { name: 'Next door' }).click();
  await shift.getByText('Script: Buses first').click();
  await expect(shift.getByText('What would make the buses work for you?')).toBeVisible();
  const talk = shift.getByRole('button', { name: /^Talk to / }).first();
  const talkedTo = (await talk.textContent())!.replace('Talk to ', '');
  await talk.click();
  await checkControls(shift, 'the door screen with a survey');
  const uses = shift.getByRole('group', { name: 'Do you use the bus?' });
  await uses.getByRole('button', { name: 'Weekly' }).click();
  await expect(uses.getByRole('button', { name: 'Weekly' })).toHaveAttribute('aria-pressed', 'true');
  await shift.getByLabel('Which route would you bring back?').fill('The 27');
  const door = async () => (await shift.locator('.door__progress').textContent())!;
  let before = await door();
  await shift.getByRole('button', { name: 'Save conversation' }).click();
  await expect.poll(door).not.toBe(before);

  // The next door: a change of mind before saving, and a tap that clears an answer.
  await shift.getByRole('button', { name: /^Talk to / }).first().click();
  await uses.getByRole('button', { name: 'Never' }).click();
  await uses.getByRole('button', { name: 'Daily' }).click();
  await expect(uses.getByRole('button', { name: 'Never' })).toHaveAttribute('aria-pressed', 'false');
  before = await door();
  await shift.getByRole('button', { name: 'Save conversation' }).click();
  await expect.poll(door).not.toBe(before);
  await syncNow(shift);
  await shift.goto('/people');
  await expect((await peopleNamed(shift, talkedTo)).getByText(talkedTo)).toBeVisible();

  // The organiser reads the answers.
  const responses = (await pullAll(organiser.request)).filter((r) => r.collection === 'survey_response');
  expect(responses.length).toBe(2);
  await organiser.goto(listUrl);
  await syncNow(organiser);
  await organiser.getByText('Volunteers, script and survey').click();
  const answers = organiser.getByRole('list', { name: 'Do you use the bus?' });
  await expect(answers).toContainText('Daily1 person');
  await expect(answers).toContainText('Weekly1 person');
  await expect(answers).toContainText('Never0 people');
  await expect(organiser.getByText('1 person answered')).toBeVisible();
  await expect(organiser.getByText('2 people answered')).toBeVisible();

  // A second list for the same street can leave out the two people already talked to.
  await organiser.goto('/lists/new');
  await chooseArea(organiser.getByLabel('Area'), wardName);
  await organiser.getByLabel('Street').selectOption(streetName);
  await expect.poll(peopleOn).toBe(onStreet);
  await organiser.getByLabel('Who to knock').selectOption({ label: 'Only people nobody has talked to yet' });
  await expect.poll(peopleOn).toBe(onStreet - 2);
  await checkControls(organiser, 'a new list');
  await organiser.goto(listUrl);
  await organiser.getByText('Volunteers, script and survey').click();

  // Taking Vic off the list: at the next sync it leaves Vic's phone, and its people with it.
  await organiser.getByRole('button', { name: `Take off this list: ${vic.name}` }).click();
  await expect(organiser.getByText(`${vic.name} no longer has this list.`, { exact: false })).toBeVisible();
  await expect(organiser.getByText('Nobody has this list yet.')).toBeVisible();
  await allSent(organiser);

  await shift.goto('/lists');
  await syncNow(shift);
  await expect(shift.getByText('No walk lists yet.', { exact: false })).toBeVisible();
  await shift.goto(listUrl);
  await expect(shift.getByRole('heading', { name: 'Walk list not found' })).toBeVisible();
  await shift.goto('/people');
  await expect(shift.getByRole('heading', { name: 'People', exact: true })).toBeVisible();
  await expect((await peopleNamed(shift, talkedTo)).getByText(talkedTo)).toHaveCount(0);
  await expect(shift.getByText('0 people found.')).toBeVisible();
  const vicSees = await pullAll(shift.request);
  expect(vicSees.some((r) => r.collection === 'list')).toBe(false);
  expect(vicSees.some((r) => r.collection === 'person')).toBe(false);
  await vic.context.close();
});
