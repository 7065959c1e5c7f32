// Finding people from the screens alone, offline, at 360x640: an organiser narrows everyone on
// the phone by a skill, a ward, a rung of the ladder and a tag, combined with what they type,
// and takes every filter off again. A volunteer, who reads no one's ladder, is offered no rung.
import { expect, test, type Page } from '@playwright/test';
import { controlled, screenHolds, signIn, syncNow } from './support';

const PHONE = { width: 360, height: 640 };

/** The count the People screen gives under its search: "N people found." or "on this phone". */
async function counted(page: Page): Promise<number> {
  const text = await page.locator('main p[role="status"]').first().textContent();
  const match = text?.match(/([\d,]+) (people|person)/);
  expect(match, `the count reads "${text}"`).not.toBeNull();
  return Number(match![1].replaceAll(',', ''));
}

/** The values a filter offers, "any" left out. */
async function offered(page: Page, id: string): Promise<string[]> {
  return page.locator(`#${id} option`).evaluateAll((os) => (os as HTMLOptionElement[]).map((o) => o.value).filter(Boolean));
}

/** The names listed now. */
async function listed(page: Page): Promise<string[]> {
  return page.locator('ul[aria-label="People"] .list__title').allTextContents();
}

test('people: a skill, a ward, a rung and a tag narrow the search, combined, offline', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize(PHONE);
  await signIn(page);
  await syncNow(page);
  await controlled(page);
  await page.context().setOffline(true);
  await page.getByRole('link', { name: 'People', exact: true }).first().click();
  await expect(page.getByRole('heading', { name: 'People', level: 1 })).toBeVisible();
  const everyone = await counted(page);
  expect(everyone).toBeGreaterThan(10);

  await page.getByText('Filters', { exact: true }).click();
  const skills = await offered(page, 'filter-skill');
  expect(skills.length).toBeGreaterThan(0);
  const skillName = skills[0];
  await page.getByLabel('Skill').selectOption(skillName);
  await expect(page.getByText('Filters (1 on)')).toBeVisible();
  await expect.poll(() => counted(page)).toBeLessThan(everyone);
  const withSkill = await counted(page);
  expect(withSkill).toBeGreaterThan(0);
  await screenHolds(page, 'People, filtered');

  // A ward as well: never more than the skill alone, and every ward's share adds up to it.
  // The deepest areas on offer (their labels indented furthest): the wards.
  const wards = await page.locator('#filter-area option').evaluateAll((os) => {
    const depth = (o: HTMLOptionElement) => o.text.length - o.text.replace(/^\u00a0+/, '').length;
    const deepest = Math.max(...(os as HTMLOptionElement[]).map(depth));
    return (os as HTMLOptionElement[]).filter((o) => o.value && depth(o) === deepest).map((o) => o.value);
  });
  expect(wards.length).toBeGreaterThan(1);
  let inWards = 0;
  for (const ward of wards) {
    await page.locator('#filter-area').selectOption(ward);
    await expect(page.getByText('Filters (2 on)')).toBeVisible();
    inWards += await counted(page);
  }
  expect(inWards).toBe(withSkill);

  // A person found by a skill has it on their page, which gathers everything held about them.
  await page.locator('ul[aria-label="People"] a').first().click();
  const skillsRegion = page.getByRole('region', { name: 'Skills and tags' });
  await expect(skillsRegion.locator('.chip')).toContainText([new RegExp(`^${skillName}$`, 'i')]);
  for (const section of ['Contact details', 'Follow-ups', 'Conversations', 'Meetings', 'Stories', 'Training']) {
    await expect(page.getByRole('region', { name: section, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('region', { name: 'Contact details' })).toContainText('Phone calls');
  await screenHolds(page, 'A person\'s page');
  await page.goBack();
  await expect(page.getByText('Filters (2 on)')).toBeVisible();

  // What is typed narrows what the filters let through, and deleting it widens again.
  await page.locator('#filter-area').selectOption('');
  const first = (await listed(page))[0];
  const word = first.split(' ')[0];
  await page.getByLabel('Search by name, phone, email or postcode').fill(word);
  await expect.poll(() => listed(page)).toContain(first);
  expect(await counted(page)).toBeLessThanOrEqual(withSkill);
  await page.getByLabel('Search by name, phone, email or postcode').fill('');
  await expect.poll(() => counted(page)).toBe(withSkill);

  // The ladder's rungs, for an organiser: the demo moved people onto each of the lower ones.
  await page.getByLabel('Skill').selectOption('');
  const rungs = await page.locator('#filter-rung option').allTextContents();
  expect(rungs).toEqual(expect.arrayContaining(['Any rung', 'Supporter', 'Volunteer', 'Host']));
  await page.getByLabel('Rung of the ladder').selectOption({ label: 'Supporter' });
  await expect.poll(() => counted(page)).toBeGreaterThan(0);
  const supporters = await counted(page);
  expect(supporters).toBeLessThan(everyone);
  const tags = await offered(page, 'filter-tag');
  if (tags.length > 0) {
    await page.getByLabel('Tag').selectOption(tags[0]);
    await expect.poll(() => counted(page)).toBeLessThanOrEqual(supporters);
  }
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByText('Filters', { exact: true })).toBeVisible();
  await expect.poll(() => counted(page)).toBe(everyone);
  await page.context().setOffline(false);
});

test('people: a volunteer filters by skill and area but is offered no rung', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize(PHONE);
  await signIn(page, process.env.ORGANISE_DEMO_VOLUNTEER_EMAIL!, process.env.ORGANISE_DEMO_VOLUNTEER_PASSWORD!);
  await syncNow(page);
  await page.getByRole('link', { name: 'People', exact: true }).first().click();
  await page.getByText('Filters', { exact: true }).click();
  await expect(page.getByLabel('Skill')).toBeVisible();
  await expect(page.getByLabel('Where they are')).toBeVisible();
  await expect(page.locator('#filter-rung')).toHaveCount(0);
  await screenHolds(page, 'People, a volunteer\'s filters');
});
