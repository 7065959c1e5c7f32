// What the end-to-end specs share: signing in, waiting for sync, reading what the server
// holds, inviting synthetic volunteers, and checking that controls can be named and tapped.
import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Browser, type BrowserContextOptions, type Locator, type Page } from '@playwright/test';

export const email = process.env.ORGANISE_DEMO_EMAIL!;
export const password = process.env.ORGANISE_DEMO_PASSWORD!;
export const VOLUNTEER_PASSWORD = 'a long synthetic volunteer password';

/** A word of `n` random lowercase letters (names may not hold digits). */
export function letters(n: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  let word = '';
  for (let i = 0; i < n; i++) word += alphabet[Math.floor(Math.random() * alphabet.length)];
  return word;
}

/** A name of letters only, different on every run. */
export function uniqueName(first: string): string {
  const word = letters(8);
  return `${first} ${word[0].toUpperCase()}${word.slice(1)}`;
}

export async function signIn(page: Page, who = email, secret = password) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(who);
  await page.getByLabel('Password').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: /^Hello, / })).toBeVisible();
}

/** Waits until the service worker controls the page, so an offline reload is answered. */
export async function controlled(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

export const status = (page: Page) =>
  page.getByRole('status').filter({ hasText: /sent|waiting|Syncing|Offline/ }).first();

export async function allSent(page: Page) {
  await expect(status(page)).toContainText(/Synced .*\. All changes sent\./, { timeout: 30_000 });
  await expect(status(page)).not.toContainText('Offline');
}

export async function syncNow(page: Page) {
  await page.getByRole('button', { name: 'Sync now' }).click();
  await allSent(page);
}

/** The session's CSRF token, for calls made directly to the API. */
/** The People list on `page`'s People screen, searched for `name` (people are listed a page at
 * a time, so someone may be on the phone but not among the first shown). */
export async function peopleNamed(page: Page, name: string) {
  await page.getByLabel('Search by name, phone, email or postcode').fill(name);
  return page.getByRole('list', { name: 'People' });
}

export async function csrf(request: APIRequestContext): Promise<string> {
  return (await (await request.get('/api/session')).json()).csrf_token;
}

/** Every record the signed-in user may see, straight from the API. */
export async function pullAll(request: APIRequestContext): Promise<any[]> {
  const token = await csrf(request);
  const clientId = crypto.randomUUID();
  let cursor = 0;
  let epoch: number | null = null;
  const records = new Map<string, any>();
  for (;;) {
    const response = await request.post('/api/sync/pull', {
      headers: { 'x-csrf-token': token },
      data: { protocol: 1, client_id: clientId, cursor, epoch, limit: 500 },
    });
    expect(response.status()).toBe(200);
    const page = await response.json();
    for (const change of page.changes) {
      if (change.change === 'record') records.set(`${change.record.collection}/${change.record.id}`, change.record);
    }
    cursor = page.cursor;
    epoch = page.epoch;
    if (!page.more) return [...records.values()];
  }
}

/** The demo's synthetic constituency and its first ward, as the organiser sees them. */
export async function syntheticVale(request: APIRequestContext) {
  const areas = (await pullAll(request)).filter((r) => r.collection === 'area');
  const vale = areas.find((a) => a.fields.name.value.text === 'Synthetic Vale');
  expect(vale, 'the demo has its synthetic constituency').toBeTruthy();
  const ward = areas.find((a) => a.fields.parent.value.id === vale.id);
  return { vale, ward, wardName: ward.fields.name.value.text as string };
}

/** Issues created directly through sync, as an organiser's issue list would be. */
export async function createIssues(request: APIRequestContext, area: string, names: string[]) {
  const clientId = crypto.randomUUID();
  const mutations = names.map((name, i) => ({
    client_id: clientId,
    seq: i + 1,
    schema_version: 1,
    collection: 'issue',
    record_id: crypto.randomUUID(),
    op: { op: 'create', area, fields: { name: { text: name }, parent: 'null' } },
  }));
  const response = await request.post('/api/sync/push', {
    headers: { 'x-csrf-token': await csrf(request) },
    data: { protocol: 1, client_id: clientId, acknowledged: 0, mutations },
  });
  expect(response.status(), await response.text()).toBe(200);
}

/** Invites a volunteer to `area` and accepts in a fresh browser context, signed in. */
export async function volunteer(
  browser: Browser,
  organiser: Page,
  area: string,
  name: string,
  contextOptions: BrowserContextOptions = {},
) {
  const invite = await organiser.request.post('/api/invites', {
    headers: { 'x-csrf-token': await csrf(organiser.request) },
    data: { name, role: 'volunteer', area },
  });
  expect(invite.status(), await invite.text()).toBe(201);
  const path: string = (await invite.json()).path;
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const address = `${letters(10)}@example.invalid`;
  const accepted = await page.request.post(`/api${path}`, {
    data: { name, email: address, password: VOLUNTEER_PASSWORD },
  });
  expect(accepted.status(), await accepted.text()).toBe(200);
  const displayName: string = (await (await page.request.get('/api/session')).json()).user.display_name;
  return { context, page, email: address, name: displayName };
}

/**
 * Every visible control on the screen as it is now has an accessible name and is at least
 * 44 px tall. Long lists repeat one row's controls; the first 60 controls stand for the rest.
 */
export async function checkControls(page: Page, screen: string) {
  const controls = page.locator(
    'main a, main button, main input, main select, main textarea, main summary, header a, .sync-bar a, .sync-bar button',
  );
  // Read in one pass in the page, so that a sync landing between two reads cannot swap or
  // hide the element being measured.
  const measured = await controls.evaluateAll((elements) =>
    elements.slice(0, 60).flatMap((e) => {
      const el = e as HTMLElement;
      const box = el.getBoundingClientRect();
      // Visible as Playwright has it: a box with an area, and not hidden by style.
      if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') return [];
      const input = el as HTMLInputElement;
      // The accessible name, as assistive technology computes it.
      const labelled = el.getAttribute('aria-label') ?? '';
      const byLabel = input.labels?.[0]?.textContent ?? '';
      // A checkbox or radio is tapped through its label, which is the target that must be big.
      const label = input.type === 'checkbox' || input.type === 'radio' ? input.labels?.[0] : undefined;
      return [{
        described: el.outerHTML.slice(0, 200),
        name: (labelled || byLabel || el.textContent || '').trim(),
        height: (label ?? el).getBoundingClientRect().height,
      }];
    }),
  );
  expect(measured.length, screen).toBeGreaterThan(0);
  for (const { described, name, height } of measured) {
    expect(name, `${screen}: ${described}`).not.toBe('');
    expect(height, `${screen}: ${described}`).toBeGreaterThanOrEqual(44);
  }
}

/** The page as it is now is no wider than the screen: nothing scrolls sideways. A failure
 * names the elements that stick out. */
export async function noSidewaysScroll(page: Page, screen: string) {
  const [scroll, client, wide] = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .slice(-3)
      .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}"> ${Math.round(e.getBoundingClientRect().right)} px: ${(e.textContent ?? '').trim().slice(0, 40)}`);
    return [document.documentElement.scrollWidth, width, wide.join('; ')] as const;
  });
  expect(scroll, `${screen} scrolls sideways: ${wide}`).toBeLessThanOrEqual(client);
}

/** axe-core finds no WCAG 2.2 A or AA violation on the page as it is now. */
export async function noAxeViolations(page: Page, screen: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`,
  );
  expect(found, `${screen}: axe-core violations`).toEqual([]);
}

/** The screen as it is now holds: no sideways scroll, every control named and big enough to
 * tap, and axe clean. */
export async function screenHolds(page: Page, screen: string) {
  await noSidewaysScroll(page, screen);
  await checkControls(page, screen);
  await noAxeViolations(page, screen);
}

/** Chooses the area called `name` in an *Area* picker, whose options are indented to draw the
 * tree (so their labels carry leading spaces). The options come from the phone's data, which
 * a screen just opened may still be loading, so it waits for the area to be on offer. */
export async function chooseArea(select: Locator, name: string) {
  let value: string | undefined;
  await expect
    .poll(
      async () => {
        value = await select
          .locator('option')
          .evaluateAll((options, name) => (options as HTMLOptionElement[]).find((o) => o.text.trim() === name)?.value, name);
        return value;
      },
      { message: `an area called ${name} on offer` },
    )
    .toBeTruthy();
  await select.selectOption(value!);
}

/** Adds someone to `wardName` from the People screen and opens their page. */
export async function addPerson(page: Page, name: string, wardName: string) {
  await page.getByRole('link', { name: 'Organise', exact: true }).click();
  await page.getByRole('link', { name: 'People' }).first().click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Area', { exact: true }).selectOption({ label: wardName });
  await page.getByRole('button', { name: 'Save person' }).click();
  await page.getByLabel('Search by name, phone, email or postcode').fill(name);
  await page.getByRole('list', { name: 'People' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}
