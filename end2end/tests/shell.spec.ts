// The app loads, under the real CSP, and a person can sign in and out.
import { expect, test } from '@playwright/test';

const email = process.env.ORGANISE_DEMO_EMAIL!;
const password = process.env.ORGANISE_DEMO_PASSWORD!;

test('the root serves the client, which asks a new visitor to sign in', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));

  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Organise' })).toBeVisible();
  // A CSP violation or a wasm start-up failure shows up here. The only expected error is the
  // 401 from asking the server who is signed in.
  expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
});

test('signing in with the demo login, then signing out', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Hello, Demo Organiser' })).toBeVisible();
  await expect(page).toHaveURL(/\/$/);

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Hello, Demo Organiser' })).toBeVisible();

  // The phone is wiped and shows Sign in at once; the server is told straight after.
  const told = page.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'DELETE');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect((await told).ok()).toBe(true);
  const session = await page.request.get('/api/session');
  expect(session.status()).toBe(401);
});

test('a wrong password gets a clear sentence', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('That email and password do not match an account.');
});

test('every control on the sign-in screen is big enough to tap', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  for (const control of await page.locator('input, button, a').all()) {
    const box = await control.boundingBox();
    expect(box, await control.evaluate((e) => e.outerHTML)).not.toBeNull();
    expect(box!.height).toBeGreaterThanOrEqual(44);
  }
});
