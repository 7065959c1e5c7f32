// What the benchmarks share: the browser they run in, signing in, and percentiles.
import { chromium } from '@playwright/test';

/** Debian's Chromium, headless, with nothing running in the background to disturb timings. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
}

/** Signs `page` in at `baseURL` and waits for the home screen. */
export async function signIn(page, baseURL, email, password) {
  await page.goto(`${baseURL}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /^Hello, / }).waitFor();
}

/** The `p`th percentile of `values`, nearest-rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Chooses the area called `name` in an *Area* picker, whose options are indented to draw the
 * tree (so their labels carry leading spaces). */
export async function chooseArea(select, name) {
  const value = await select
    .locator('option')
    .evaluateAll((options, name) => options.find((o) => o.text.trim() === name)?.value, name);
  if (!value) throw new Error(`no area called ${name} on offer`);
  await select.selectOption(value);
}
