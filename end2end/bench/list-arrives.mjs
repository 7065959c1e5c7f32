// A walk list reaching a new volunteer's phone, on a phone-speed CPU: the demo organiser
// builds a list of the demo's synthetic constituency (about 320 doors) and gives it to a
// volunteer invited for the run; the volunteer signs in on a fresh device with the CPU
// throttled four times, and the clock runs from the sign-in tap until the list and its door
// count are on screen (the first sync: pulling the list, its people and the area's records
// into IndexedDB, then drawing the list). Repeated with a new volunteer each run.
// The first volunteer then opens the first door, and the code their phone fetched from the
// cold start to that door on screen (wasm, js and css, as sent over the wire, from the
// browser's network log) is counted beside the whole app's code: the screens they never open
// stay on the server until the service worker stores them in the background.
// Prints one JSON object; `cargo xtask bench` runs it.
import { launch, percentile, signIn, chooseArea } from './common.mjs';

const baseURL = process.env.BASE_URL;
const email = process.env.ORGANISE_DEMO_EMAIL;
const password = process.env.ORGANISE_DEMO_PASSWORD;
const runs = Number(process.env.RUNS ?? 5);
const throttle = Number(process.env.CPU_THROTTLE ?? 4);
if (!baseURL || !email || !password) throw new Error('run this with `cargo xtask bench`');

const browser = await launch();

const word = () => Array.from({ length: 8 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');

// The organiser, once: invites the volunteers and builds one list given to all of them.
const organiser = await browser.newContext({ viewport: { width: 360, height: 640 } });
const page = await organiser.newPage();
await signIn(page, baseURL, email, password);
const csrf = (await (await page.request.get(`${baseURL}/api/session`)).json()).csrf_token;
await page.goto(`${baseURL}/lists/new`);
await page.waitForFunction(() => (document.querySelector('#list-area')?.options.length ?? 0) > 0);
const vale = await page.getByLabel('Area').locator('option', { hasText: 'Synthetic Vale' }).first().getAttribute('value');

const volunteers = [];
for (let i = 0; i < runs; i++) {
  const name = `Bench ${word()}`;
  const invite = await page.request.post(`${baseURL}/api/invites`, {
    headers: { 'x-csrf-token': csrf },
    data: { name, role: 'volunteer', area: vale },
  });
  if (invite.status() !== 201) throw new Error(`invite: ${invite.status()} ${await invite.text()}`);
  const path = (await invite.json()).path;
  const address = `${word()}@example.invalid`;
  const secret = 'a long synthetic volunteer password';
  const joined = await browser.newContext();
  const accepted = await joined.request.post(`${baseURL}/api${path}`, {
    data: { name, email: address, password: secret },
  });
  if (accepted.status() !== 200) throw new Error(`join: ${accepted.status()}`);
  await joined.close();
  volunteers.push({ name, email: address, password: secret });
}

await page.reload();
await page.getByText(/Synced .*\. All changes sent\./).waitFor({ timeout: 60_000 });
await page.getByLabel('Name').fill('Benchmark arrival');
await chooseArea(page.getByLabel('Area'), 'Synthetic Vale');
for (const v of volunteers) await page.getByRole('checkbox', { name: v.name }).check();
await page.getByRole('button', { name: 'Save walk list' }).click();
await page.getByRole('heading', { name: 'Benchmark arrival' }).waitFor();
const doorsText = await page.getByRole('status').filter({ hasText: 'doors done' }).textContent();
const doors = Number(doorsText.match(/of (\d+) doors/)[1]);
await page.getByText(/Synced .*\. All changes sent\./).waitFor({ timeout: 60_000 });

/** From now on, the bytes received for the page's code (wasm, js, css), by URL. */
function countCode(cdp) {
  const code = new Map();
  const bytes = new Map();
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    if (/\.(wasm|js|css)$/.test(new URL(response.url).pathname)) code.set(requestId, response.url);
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    if (code.has(requestId)) bytes.set(code.get(requestId), encodedDataLength);
  });
  return () => ({ files: bytes.size, bytes: [...bytes.values()].reduce((a, b) => a + b, 0) });
}

// Each volunteer: a fresh phone, sign in, wait for the list.
const arrived = [];
let doorstepCode;
for (const v of volunteers) {
  const phone = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const tab = await phone.newPage();
  const cdp = await phone.newCDPSession(tab);
  const fetched = countCode(cdp);
  await cdp.send('Network.enable');
  await tab.goto(`${baseURL}/sign-in`);
  await tab.getByLabel('Email').fill(v.email);
  await tab.getByLabel('Password').fill(v.password);
  const started = Date.now();
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await tab.getByRole('heading', { name: /^Hello, / }).waitFor();
  await tab.getByRole('link', { name: 'Walk lists' }).first().click();
  await tab.getByText(`0 of ${doors} doors done`).waitFor({ timeout: 120_000 });
  arrived.push(Date.now() - started);
  if (doorstepCode === undefined) {
    await tab.getByRole('link', { name: /Benchmark arrival/ }).click();
    await tab.getByRole('link', { name: 'Next door' }).click();
    await tab.getByRole('button', { name: 'Not home' }).waitFor();
    doorstepCode = fetched();
  }
  await phone.close();
}
await browser.close();

console.log(JSON.stringify({
  doors,
  runs,
  cpu_throttle: throttle,
  arrival_ms: { median: percentile(arrived, 50), p95: percentile(arrived, 95) },
  doorstep_code: doorstepCode,
}));
