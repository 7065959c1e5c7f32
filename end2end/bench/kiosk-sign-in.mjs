// Signing people in at a meeting on a phone-speed CPU: the demo organiser makes a meeting,
// starts sign-in on the phone, goes offline, throttles the CPU four times and signs in one
// new person after another (name, email, a consent). For each it records the app's own part
// (the `organise-sign-in` User Timing measure: from *Sign in* to the blank form drawn for the
// next person, the save of the person, their attendance and the outbox entries included) and
// the save alone (`organise-save`), beside raw IndexedDB writing what each save wrote in one
// transaction. Prints one JSON object; `cargo xtask bench` runs it.
import { launch, percentile, signIn, chooseArea } from './common.mjs';

const baseURL = process.env.BASE_URL;
const email = process.env.ORGANISE_DEMO_EMAIL;
const password = process.env.ORGANISE_DEMO_PASSWORD;
const people = Number(process.env.SIGN_INS ?? 30);
const throttle = Number(process.env.CPU_THROTTLE ?? 4);
if (!baseURL || !email || !password) throw new Error('run this with `cargo xtask bench`');

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
const page = await context.newPage();
await signIn(page, baseURL, email, password);
await page.getByText(/Synced .*\. All changes sent\./).waitFor({ timeout: 60_000 });

await page.goto(`${baseURL}/meetings/new`);
await page.getByLabel('Title').fill('Benchmark house meeting');
await page.waitForFunction(() => (document.querySelector('#meeting-area')?.options.length ?? 0) > 0);
await chooseArea(page.getByLabel('Area'), 'Synthetic Vale');
await page.getByLabel('Where').fill('A synthetic front room');
await page.getByLabel('Starts').fill('2031-01-15T19:00');
await page.getByRole('button', { name: 'Save meeting' }).click();
await page.getByRole('heading', { name: 'Benchmark house meeting', level: 1 }).waitFor();
await page.getByLabel('Choose a PIN to leave sign-in (4 to 8 digits)').fill('2468');
await page.getByRole('button', { name: 'Start sign-in' }).click();
await page.getByLabel('Your name').waitFor();

await context.setOffline(true);
const cdp = await context.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });

const saveCount = () => page.evaluate(() => performance.getEntriesByName('organise-save').length);
const savesBefore = await saveCount();
for (let i = 0; i < people; i++) {
  const name = `Bench Person ${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email', { exact: true }).fill(`bench-${Date.now()}-${i}@example.invalid`);
  await page.getByLabel('Email me').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(
    (n) => performance.getEntriesByName('organise-sign-in').length >= n,
    i + 1,
  );
}
const signIns = await page.evaluate(() =>
  performance.getEntriesByName('organise-sign-in').map((entry) => entry.duration),
);
const saves = (
  await page.evaluate(() => performance.getEntriesByName('organise-save').map((entry) => entry.duration))
).slice(savesBefore);
// The baseline, at the same throttling: raw IndexedDB writing what one sign-in's save
// writes (the replica's meta, the new person's and attendance's records and their two outbox
// entries, as the app stores them) in one transaction, once per person, into a scratch database.
const rawSaves = await page.evaluate(async (people) => {
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const app = await request(indexedDB.open('organise'));
  const tx = app.transaction(['meta', 'outbox', 'records']);
  const meta = await request(tx.objectStore('meta').get('replica'));
  const outbox = await request(tx.objectStore('outbox').getAll());
  const records = await request(tx.objectStore('records').getAll());
  const recordKeys = await request(tx.objectStore('records').getAllKeys());
  app.close();
  await request(indexedDB.deleteDatabase('organise-bench-raw-sign-in'));
  const opening = indexedDB.open('organise-bench-raw-sign-in', 1);
  opening.onupgradeneeded = () => {
    for (const store of ['meta', 'outbox', 'records']) opening.result.createObjectStore(store);
  };
  const raw = await request(opening);
  const took = [];
  for (let i = 0; i < people; i++) {
    const started = performance.now();
    const write = raw.transaction(['meta', 'outbox', 'records'], 'readwrite');
    write.objectStore('meta').put(meta, 'replica');
    for (const k of [0, 1]) {
      const n = (2 * i + k) % records.length;
      write.objectStore('records').put(records[n], recordKeys[n]);
      write.objectStore('outbox').put(outbox[(2 * i + k) % outbox.length], 2 * i + k + 1);
    }
    await new Promise((resolve, reject) => {
      write.oncomplete = resolve;
      write.onerror = () => reject(write.error);
    });
    took.push(performance.now() - started);
  }
  raw.close();
  indexedDB.deleteDatabase('organise-bench-raw-sign-in');
  return took;
}, people);
await browser.close();

console.log(JSON.stringify({
  people,
  cpu_throttle: throttle,
  sign_in_ms: { median: percentile(signIns, 50), p95: percentile(signIns, 95) },
  save_ms: { median: percentile(saves, 50), p95: percentile(saves, 95) },
  raw_save_ms: { median: percentile(rawSaves, 50), p95: percentile(rawSaves, 95) },
}));
