// Offline work and sync, against the real server: a change made with no connection survives a
// reload and reaches the server when the connection returns; two people editing the same
// person at once end with the same record and the conflict visible to both; signing out
// wipes the phone (after a warning that can be cancelled when changes are unsent) and, made
// without signal, still ends the session on the server once the signal returns; a request
// the server never answers is given up and tried again.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import {
  allSent,
  checkControls,
  controlled,
  email,
  noAxeViolations,
  password,
  peopleNamed,
  signIn,
  status,
  syncNow,
  uniqueName,
} from './support';

async function addPerson(page: Page, name: string) {
  await page.getByRole('link', { name: 'People' }).first().click();
  await expect(page.getByRole('heading', { name: 'People', exact: true })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Save person' }).click();
  await expect(page.getByText(`Saved ${name}.`)).toBeVisible();
  await expect((await peopleNamed(page, name)).getByText(name)).toBeVisible();
}


test('a change made offline survives a reload and reaches the server when the connection returns', async ({
  page,
  context,
  browser,
}) => {
  await signIn(page);
  await controlled(page);
  await allSent(page);

  await context.setOffline(true);
  const name = uniqueName('Sam');
  await addPerson(page, name);
  await expect(status(page)).toContainText('Offline.');
  await expect(status(page)).toContainText('1 change is waiting to be sent');

  // Reloading with no connection: the app starts from the service worker and the phone's
  // store, still signed in, still holding the change.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'People', exact: true })).toBeVisible();
  await expect((await peopleNamed(page, name)).getByText(name)).toBeVisible();
  await expect(status(page)).toContainText('1 change is waiting to be sent');

  // The connection returns: the change goes by itself.
  await context.setOffline(false);
  await allSent(page);

  // Someone else, on another device, sees it.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage);
  await otherPage.getByRole('link', { name: 'People' }).first().click();
  await expect((await peopleNamed(otherPage, name)).getByText(name)).toBeVisible({ timeout: 20_000 });
  await other.close();
});

async function renameTo(page: Page, from: string, to: string) {
  await page.getByRole('link', { name: 'People' }).first().click();
  await (await peopleNamed(page, from)).getByText(from).click();
  await expect(page.getByRole('heading', { name: from })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(to);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect((await peopleNamed(page, to)).getByText(to)).toBeVisible();
}

test('two people editing the same person end in the same state, with the conflict visible to both', async ({
  browser,
}) => {
  const contexts: BrowserContext[] = [await browser.newContext(), await browser.newContext()];
  const [a, b] = await Promise.all(contexts.map((c) => c.newPage()));
  await signIn(a);
  await signIn(b);
  const original = uniqueName('Rhiannon');
  await addPerson(a, original);
  await allSent(a);
  await b.getByRole('link', { name: 'People' }).first().click();
  await syncNow(b);
  await expect((await peopleNamed(b, original)).getByText(original)).toBeVisible({ timeout: 20_000 });

  // A edits without signal (once its service worker holds the screens); B edits the same
  // name meanwhile, online.
  await controlled(a);
  await contexts[0].setOffline(true);
  const fromA = uniqueName('Alys');
  const fromB = uniqueName('Bethan');
  await renameTo(a, original, fromA);
  await renameTo(b, original, fromB);
  await allSent(b);

  // A comes back: its edit was made without seeing B's, so the server keeps B's as a conflict.
  await contexts[0].setOffline(false);
  await allSent(a);
  await syncNow(b);
  for (const page of [a, b]) {
    await page.getByRole('link', { name: 'People', exact: true }).first().click();
    await expect((await peopleNamed(page, fromA)).getByText(fromA)).toBeVisible();
    await expect((await peopleNamed(page, fromB)).getByText(fromB)).toHaveCount(0);
    await expect(page.getByText('0 people found.')).toBeVisible();
    await page.getByRole('link', { name: '1 conflict' }).click();
    await expect(page.getByRole('heading', { name: 'Conflicts' })).toBeVisible();
    await expect(page.getByRole('button', { name: `Keep “${fromA}”` })).toBeVisible();
    await expect(page.getByRole('button', { name: `Use “${fromB}”` })).toBeVisible();
  }

  // B settles it; A sees it settled after syncing.
  await b.getByRole('button', { name: `Use “${fromB}”` }).click();
  await expect(b.getByText('No conflicts to resolve.')).toBeVisible();
  await allSent(b);
  await syncNow(a);
  await expect(a.getByText('No conflicts to resolve.')).toBeVisible();
  await a.getByRole('link', { name: 'People', exact: true }).first().click();
  await expect((await peopleNamed(a, fromB)).getByText(fromB)).toBeVisible();
  for (const context of contexts) await context.close();
});

test('signing out wipes the data on the phone, and warns first when changes are unsent', async ({
  page,
  context,
}) => {
  await signIn(page);
  await allSent(page);
  await controlled(page);
  await context.setOffline(true);
  const name = uniqueName('Siobhan');
  await addPerson(page, name);
  await page.getByRole('link', { name: 'Organise' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('alert')).toContainText('1 change has not reached the server yet');
  await noAxeViolations(page, 'the warning before signing out');
  // Cancel goes back, keeping everything.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Sign out and delete them' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /^Hello, / })).toBeVisible();
  await expect(status(page)).toContainText('1 change is waiting to be sent');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('alert')).toContainText('1 change has not reached the server yet');
  await page.getByRole('button', { name: 'Sign out and delete them' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const left = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('organise');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = Array.from(db.objectStoreNames);
          const tx = db.transaction(names, 'readonly');
          let total = 0;
          let waiting = names.length;
          for (const name of names) {
            const count = tx.objectStore(name).count();
            count.onsuccess = () => {
              total += count.result;
              if (--waiting === 0) resolve(total);
            };
          }
        };
      }),
  );
  expect(left, 'nothing is left on the phone').toBe(0);
  await context.setOffline(false);
});

test('a phone signed out without signal stays signed out when the signal returns, and its session ends on the server', async ({
  page,
  context,
  playwright,
}) => {
  await signIn(page);
  await controlled(page);
  await allSent(page);
  // What the session cookie says, asked of the server from outside the phone.
  const cookies = await context.cookies();
  const oldSession = async () => {
    const outside = await playwright.request.newContext({
      baseURL: process.env.BASE_URL,
      storageState: { cookies, origins: [] },
    });
    const answer = (await outside.get('/api/session')).status();
    await outside.dispose();
    return answer;
  };

  await context.setOffline(true);
  await page.getByRole('link', { name: 'Organise' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  // The server has not heard yet: the cookie's session still holds.
  expect(await oldSession()).toBe(200);

  // Starting again with no signal: signed out, whatever the cookie holds.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  // The signal comes back: the phone ends the session on the server by itself.
  await context.setOffline(false);
  await expect.poll(oldSession, { timeout: 20_000 }).toBe(401);

  // Starting again online asks the server, and signs nobody back in.
  const asked = page.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'GET');
  await page.reload();
  await asked;
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Hello, / })).toHaveCount(0);
  expect((await page.request.get('/api/session')).status()).toBe(401);
});

test('a session that ended on the server asks to sign in again, keeping the unsent changes', async ({
  page,
  context,
}) => {
  await signIn(page);
  await allSent(page);
  await controlled(page);
  await context.setOffline(true);
  const name = uniqueName('Dafydd');
  await addPerson(page, name);
  // While the phone has no signal, the session ends on the server (it expired, or was signed
  // out elsewhere): the cookie still names it, but the server no longer knows it. (The test's
  // own requests are not subject to the page's offline emulation.)
  const session = await (await page.request.get('/api/session')).json();
  const cookies = await context.cookies();
  const ended = await page.request.delete('/api/session', {
    headers: { 'x-csrf-token': session.csrf_token },
  });
  expect(ended.status()).toBe(204);
  await context.addCookies(cookies);

  // The signal comes back: the app tries to send the change, learns the session is over,
  // and says so, keeping the change.
  await context.setOffline(false);
  await expect(status(page)).toContainText('Signed out on the server', { timeout: 20_000 });
  await expect(status(page)).toContainText('1 change is waiting to be sent');
  await expect((await peopleNamed(page, name)).getByText(name)).toBeVisible();

  await page.getByRole('link', { name: 'Sign in again' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Hello, Demo Organiser' })).toBeVisible();
  await allSent(page);
  await page.getByRole('link', { name: 'People' }).first().click();
  await expect((await peopleNamed(page, name)).getByText(name)).toBeVisible();
});

test('a sync the server never answers is given up after 30 seconds, said so, and tried again', async ({
  page,
}) => {
  await page.clock.install();
  await signIn(page);
  await allSent(page);
  // One bar of signal: requests leave the phone and no answer ever comes back.
  const unanswered: string[] = [];
  await page.route('**/api/sync/*', (route) => {
    unanswered.push(route.request().url());
  });
  const name = uniqueName('Hywel');
  await addPerson(page, name);
  await expect.poll(() => unanswered.length, { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(status(page)).toContainText('Syncing');

  await page.clock.fastForward('00:31');
  const problem = page.locator('.sync-bar__problem');
  await expect(problem).toHaveText('The server did not answer in time. Check your signal and try again.');
  await expect(status(page)).not.toContainText('Syncing');
  await expect(status(page)).toContainText('1 change is waiting to be sent');
  await expect((await peopleNamed(page, name)).getByText(name)).toBeVisible();

  // Answers come back: the next try (any still unanswered is given up in its turn) sends it.
  await page.unroute('**/api/sync/*');
  await page.clock.fastForward('00:31');
  await allSent(page);
  await expect(problem).toHaveCount(0);
});

test('every control has an accessible name and a thumb-sized target', async ({ page }) => {
  await signIn(page);
  const screens = ['/', '/people', '/lists', '/lists/new', '/results', '/conflicts', '/rejected', '/settings'];
  for (const screen of screens) {
    await page.goto(screen);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await checkControls(page, screen);
  }
});
