// Saving a door on a long walk list, on a phone-speed CPU: the demo organiser builds a list of
// the demo's synthetic constituency (about 320 doors), goes offline, throttles the
// CPU four times and taps "Not home" door after door. For each tap it records how long the
// save took (the record and its outbox entry, one IndexedDB transaction: the app's
// `organise-save` User Timing measure) and how long until the next door was on screen.
// Prints one JSON object; `cargo xtask bench` runs it.
import { launch, percentile, signIn, chooseArea } from './common.mjs';

const baseURL = process.env.BASE_URL;
const email = process.env.ORGANISE_DEMO_EMAIL;
const password = process.env.ORGANISE_DEMO_PASSWORD;
const taps = Number(process.env.TAPS ?? 60);
const throttle = Number(process.env.CPU_THROTTLE ?? 4);
if (!baseURL || !email || !password) throw new Error('run this with `cargo xtask bench`');

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
const page = await context.newPage();
await signIn(page, baseURL, email, password);
await page.getByText(/Synced .*\. All changes sent\./).waitFor({ timeout: 60_000 });

// A list of the first ward of the synthetic constituency.
await page.goto(`${baseURL}/lists/new`);
const area = page.getByLabel('Area');
await page.waitForFunction(() => (document.querySelector('#list-area')?.options.length ?? 0) > 0);
const wards = await area.locator('option').allTextContents();
await page.getByLabel('Name').fill('Benchmark walk');
if (wards.length === 0) throw new Error('no areas to build a list in');
// The whole synthetic constituency: about 320 doors.
await chooseArea(area, 'Synthetic Vale');
await page.getByRole('button', { name: 'Save walk list' }).click();
await page.getByRole('heading', { name: 'Benchmark walk' }).waitFor();
const doorsText = await page.getByRole('status').filter({ hasText: 'doors done' }).textContent();
const doors = Number(doorsText.match(/of (\d+) doors/)[1]);
await page.getByRole('link', { name: 'Next door' }).click();
await page.locator('.door__progress').waitFor();

await context.setOffline(true);
const cdp = await context.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });

const doorNumber = async () => page.locator('.door__progress').textContent();
const shown = [];
for (let i = 0; i < taps; i++) {
  const before = await doorNumber();
  const started = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Not home' }).click();
  await page.waitForFunction(
    (previous) => document.querySelector('.door__progress')?.textContent !== previous,
    before,
  );
  shown.push((await page.evaluate(() => performance.now())) - started);
}
const saves = await page.evaluate(() =>
  performance.getEntriesByName('organise-save').map((entry) => entry.duration),
);
// The baseline, at the same throttling: raw IndexedDB writing what a door's save writes (the
// replica's meta and the door's outbox entry, as the app stores them) in one transaction,
// once per tap, into a scratch database.
const rawSaves = await page.evaluate(async (taps) => {
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const app = await request(indexedDB.open('organise'));
  const tx = app.transaction(['meta', 'outbox']);
  const meta = await request(tx.objectStore('meta').get('replica'));
  const outbox = await request(tx.objectStore('outbox').getAll());
  app.close();
  await request(indexedDB.deleteDatabase('organise-bench-raw-door'));
  const opening = indexedDB.open('organise-bench-raw-door', 1);
  opening.onupgradeneeded = () => {
    opening.result.createObjectStore('meta');
    opening.result.createObjectStore('outbox');
  };
  const raw = await request(opening);
  const took = [];
  for (let i = 0; i < taps; i++) {
    const started = performance.now();
    const write = raw.transaction(['meta', 'outbox'], 'readwrite');
    write.objectStore('meta').put(meta, 'replica');
    write.objectStore('outbox').put(outbox[i % outbox.length], i + 1);
    await new Promise((resolve, reject) => {
      write.oncomplete = resolve;
      write.onerror = () => reject(write.error);
    });
    took.push(performance.now() - started);
  }
  raw.close();
  indexedDB.deleteDatabase('organise-bench-raw-door');
  return took;
}, taps);
await browser.close();

// The last `taps` saves are the doors (the list itself was saved before throttling).
const doorSaves = saves.slice(-taps);
console.log(JSON.stringify({
  doors,
  taps,
  cpu_throttle: throttle,
  save_ms: { median: percentile(doorSaves, 50), p95: percentile(doorSaves, 95) },
  raw_save_ms: { median: percentile(rawSaves, 50), p95: percentile(rawSaves, 95) },
  next_door_ms: { median: percentile(shown, 50), p95: percentile(shown, 95) },
}));
