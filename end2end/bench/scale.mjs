// The app with thirty thousand people on the phone, on a phone-speed CPU (throttled four
// times): an organiser of a synthetic constituency of about 30,000 people signs in on a fresh
// phone and the clock runs on
// - the first sync (the app's `organise-sync` User Timing measure), beside raw IndexedDB
//   writing the same records (as the app stores them, JSON text under their keys) in one
//   transaction in the same browser;
// - opening the People screen (tap to the first row on screen), first and again;
// - each keystroke of a search on it, to the next frame painted, alone and with a skill, a
//   tag and a ward set beside it, beside a plain script doing the same search over the same
//   records parsed into plain objects;
// - tapping "Not home" to the next door on screen on a ward's walk list;
// - the memory the page holds (JavaScript heap plus the wasm memory) after every screen.
// Prints one JSON object; `cargo xtask bench` runs it against a server it filled with
// `organise-server generate-area`. PROFILE=file and PROFILE_SYNC=file write CPU profiles of
// the door taps and of the first sync (build `dist/` with wasm-opt's `-g` to keep names).
import { launch, percentile, chooseArea } from './common.mjs';

const baseURL = process.env.BASE_URL;
const email = process.env.SCALE_EMAIL;
const password = process.env.SCALE_PASSWORD;
const taps = Number(process.env.TAPS ?? 20);
const throttle = Number(process.env.CPU_THROTTLE ?? 4);
if (!baseURL || !email || !password) throw new Error('run this with `cargo xtask bench`');

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
// Keep the wasm instance's memory where the benchmark can read its size.
await context.addInitScript(() => {
  const keep = (result) => {
    const memory = (result.instance ?? result)?.exports?.memory;
    if (memory instanceof WebAssembly.Memory) window.__organiseMemory = memory;
    return result;
  };
  const streaming = WebAssembly.instantiateStreaming;
  if (streaming) WebAssembly.instantiateStreaming = (...args) => streaming.apply(WebAssembly, args).then(keep);
  const plain = WebAssembly.instantiate;
  WebAssembly.instantiate = (...args) => plain.apply(WebAssembly, args).then(keep);
});
const page = await context.newPage();
// What the page said, for a failure's report (the app logs no personal data).
const consoleLines = [];
page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`.slice(0, 300)));
page.on('pageerror', (error) => consoleLines.push(`error: ${error.message}`.slice(0, 300)));
/** The sync bar and the page's last console lines, to say why a step failed. */
const diagnosis = async () => {
  const bar = await page.getByRole('region', { name: 'Sync status' }).innerText({ timeout: 1_000 }).catch(() => '(no sync bar)');
  return `sync bar: ${bar.replaceAll('\n', ' ')}; console: ${consoleLines.slice(-15).join(' | ') || '(nothing)'}`;
};
// The slowest steps (a first sync, a screen of twenty thousand rows) may take minutes.
page.setDefaultTimeout(600_000);
const cdp = await context.newCDPSession(page);

// The first sync, on a fresh phone.
await page.goto(`${baseURL}/sign-in`);
await page.getByLabel('Email').fill(email);
await page.getByLabel('Password').fill(password);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
// PROFILE_SYNC=file writes a CPU profile of the first sync there.
if (process.env.PROFILE_SYNC) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
}
const signingIn = Date.now();
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByRole('heading', { name: /^Hello, / }).waitFor();
await page.getByText(/Synced .*\. All changes sent\./).waitFor({ timeout: 600_000 });
const signInToSynced = Date.now() - signingIn;
if (process.env.PROFILE_SYNC) {
  const { profile } = await cdp.send('Profiler.stop');
  (await import('node:fs')).writeFileSync(process.env.PROFILE_SYNC, JSON.stringify(profile));
}
const firstSync = await page.evaluate(() => performance.getEntriesByName('organise-sync')[0]?.duration);
// The wasm memory after each step: it only grows, so this shows which step made it grow.
const wasmTrail = [];
const noteWasm = async (step) => {
  wasmTrail.push([step, (await page.evaluate(() => window.__organiseMemory?.buffer.byteLength ?? NaN)) / 2 ** 20]);
};
await noteWasm('synced');
const records = await page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('organise');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const count = open.result.transaction('records').objectStore('records').count();
    count.onsuccess = () => { resolve(count.result); open.result.close(); };
    count.onerror = () => reject(count.error);
  };
}));
const people = await page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('organise');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const range = IDBKeyRange.bound('person/', 'person/\uffff');
    const count = open.result.transaction('records').objectStore('records').count(range);
    count.onsuccess = () => { resolve(count.result); open.result.close(); };
    count.onerror = () => reject(count.error);
  };
}));

// Opening People: from home, tap, until its first row is on screen.
const openPeople = async () => {
  await page.locator('a.app-bar__title').click();
  await page.getByRole('heading', { name: /^Hello, / }).waitFor();
  const started = await page.evaluate(() => performance.now());
  await page.locator('a.tile[href="/people"]').click();
  await page.waitForFunction(() => document.querySelector('ul[aria-label="People"] li') !== null, null, { polling: 'raf', timeout: 120_000 });
  return (await page.evaluate(() => performance.now())) - started;
};
const peopleFirst = await openPeople();
const peopleAgain = [];
for (let i = 0; i < 3; i++) peopleAgain.push(await openPeople());
await noteWasm('people');

// Search keystrokes: each letter of a word typed, then the word deleted, each to the frame
// after it (the handler, the new list and the paint that shows it).
const typeEach = (word) => page.evaluate(async (word) => {
  const input = document.getElementById('people-search');
  const times = [];
  if (!input) return times;
  for (const value of [...Array.from(word, (_, i) => word.slice(0, i + 1)), '']) {
    const started = performance.now();
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    times.push(performance.now() - started);
  }
  return times;
}, word);
const keystrokes = [];
for (const word of ['smi', 'jon', 'pat', 'will']) keystrokes.push(...(await typeEach(word)));
await noteWasm('search');

// The same search with every filter a volunteer list needs set beside it: a skill, a tag and
// a ward, combined with the words (the rung filter is for people on the ladder, which the
// synthetic area does not hold).
await page.locator('details.filters summary').click();
await page.locator('#filter-skill').selectOption('driving');
const tagOptions = await page.locator('#filter-tag option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
const tag = tagOptions[0];
await page.locator('#filter-tag').selectOption(tag);
await page.locator('#filter-area').selectOption({ index: 2 });
const wardId = await page.locator('#filter-area').inputValue();
const WORDS = ['smi', 'jon', 'pat', 'will', 'qx', '0770'];
const filtered = [];
for (const word of WORDS) filtered.push(...(await typeEach(word)));
const filteredFound = await page.getByRole('status').filter({ hasText: /found/ }).first().textContent();
await noteWasm('filtered search');

// The baseline: the same records as stored, parsed once into plain objects, searched by a
// plain script (every word in name, phone, email or postcode, with the skill, the tag and the
// ward) and its first fifty drawn as list items, to the next frame: the limit of doing this
// in a page, with nothing between the records and the screen.
const plainSearch = ({ words, skill, tag, ward }) => page.evaluate(async ({ words, skill, tag, ward }) => {
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const app = await request(indexedDB.open('organise'));
  const range = IDBKeyRange.bound('person/', 'person/\uffff');
  const stored = await request(app.transaction('records').objectStore('records').getAll(range));
  app.close();
  // Every string a field holds, however the stored value wraps it (`{"text": ...}`,
  // `{"texts": [...]}`); an empty field is stored as the bare string "null" and holds none.
  const strings = (v) => v === 'null' ? []
    : typeof v === 'string' ? [v]
    : Array.isArray(v) ? v.flatMap(strings)
    : v && typeof v === 'object' ? Object.entries(v).filter(([k]) => k !== 'version').flatMap(([, x]) => strings(x))
    : [];
  const people = stored.map((text) => {
    const r = typeof text === 'string' ? JSON.parse(text) : text;
    const f = r.fields ?? {};
    const one = (name) => strings(f[name]).join(' ');
    return {
      id: String(r.id),
      name: one('name'),
      search: ['name', 'phone', 'email', 'postcode'].map(one).join('\n').toLowerCase(),
      skills: strings(f.skills).map((s) => s.toLowerCase()),
      tags: strings(f.tags).map((s) => s.toLowerCase()),
      area: strings(r.area)[0],
      merged: strings(f.merged_into).length > 0,
    };
  });
  const list = document.createElement('ul');
  list.hidden = true;
  document.body.append(list);
  const times = [];
  let found = 0;
  for (const word of words) {
    for (const value of [...Array.from(word, (_, i) => word.slice(0, i + 1)), '']) {
      const started = performance.now();
      const parts = value.toLowerCase().split(/\s+/).filter(Boolean);
      const matched = people.filter((p) => !p.merged
        && (ward === undefined || (p.area === ward && p.skills.includes(skill) && p.tags.includes(tag.toLowerCase())))
        && parts.every((w) => p.search.includes(w)));
      matched.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id.localeCompare(b.id));
      list.replaceChildren(...matched.slice(0, 50).map((p) => {
        const item = document.createElement('li');
        item.textContent = p.name;
        return item;
      }));
      if (value === '') found = matched.length;
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      times.push(performance.now() - started);
    }
  }
  list.remove();
  return { times, found };
}, { words, skill, tag, ward });
const baseline = await plainSearch({ words: WORDS, skill: 'driving', tag, ward: wardId });
// Without filters, over the words typed unfiltered above.
const plainBaseline = await plainSearch({ words: ['smi', 'jon', 'pat', 'will'] });

// A walk list of the first ward, built on the screens, then "Not home" door after door.
await page.goto(`${baseURL}/lists/new`);
await page.waitForFunction(() => (document.querySelector('#list-area')?.options.length ?? 0) > 1, null, { timeout: 120_000 });
const ward = (await page.getByLabel('Area').locator('option').allTextContents())
  .map((name) => name.trim())
  .find((name) => name !== 'Synthetic Borough');
await page.getByLabel('Name').fill('Benchmark ward walk');
await chooseArea(page.getByLabel('Area'), ward);
await page.getByRole('button', { name: 'Save walk list' }).click();
await page.getByRole('heading', { name: 'Benchmark ward walk' }).waitFor({ timeout: 120_000 });
await noteWasm('list built');
const doorsText = await page.getByRole('status').filter({ hasText: 'doors done' }).textContent();
const doors = Number(doorsText.match(/of ([\d,]+) doors/)[1].replaceAll(',', ''));
await page.getByRole('link', { name: 'Next door' }).click();
await page.locator('.door__progress').waitFor();
consoleLines.push(`bench: going offline at ${page.url()}; ${await diagnosis()}`);
await context.setOffline(true);
// PROFILE=file writes a CPU profile of the taps there (for chrome://inspect or a summary).
if (process.env.PROFILE) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
}
const shown = [];
for (let i = 0; i < taps; i++) {
  // A door screen that is not there fails at once, saying where the tap led.
  const before = await page
    .locator('.door__progress')
    .textContent({ timeout: 30_000 })
    .catch(async (error) => {
      const heading = await page.locator('h1').first().textContent().catch(() => '');
      throw new Error(`tap ${i}: no door on screen at ${page.url()} (heading "${heading}"); ${await diagnosis()}: ${error.message}`);
    });
  const started = await page.evaluate(() => performance.now());
  await page
    .getByRole('button', { name: 'Not home' })
    .click({ timeout: 30_000 })
    .catch(async (error) => {
      const main = (await page.locator('main').innerText().catch(() => '')).slice(0, 300);
      throw new Error(`tap ${i}: no "Not home" at ${page.url()}; the screen reads: ${main}; ${await diagnosis()}: ${error.message}`);
    });
  await page.waitForFunction(
    (previous) => document.querySelector('.door__progress')?.textContent !== previous,
    before,
    { polling: 'raf' },
  );
  shown.push((await page.evaluate(() => performance.now())) - started);
}
await context.setOffline(false);
if (process.env.PROFILE) {
  const { profile } = await cdp.send('Profiler.stop');
  (await import('node:fs')).writeFileSync(process.env.PROFILE, JSON.stringify(profile));
}
await noteWasm('doors');

// Every screen once, then the memory held.
for (const path of ['/', '/lists', '/people', '/results', '/conflicts', '/rejected', '/settings', '/']) {
  await page.locator('a.app-bar__title').click();
  if (path !== '/') await page.locator(`a.tile[href="${path}"]`).click();
  await page.locator('h1').first().waitFor();
  await page.waitForTimeout(500);
  await noteWasm(path);
}
await cdp.send('HeapProfiler.collectGarbage');
const heap = await cdp.send('Runtime.getHeapUsage');
const wasmBytes = await page.evaluate(() => window.__organiseMemory?.buffer.byteLength ?? NaN);

// The baseline: raw IndexedDB putting the same records, as stored, in one transaction.
const rawPut = await page.evaluate(async () => {
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const app = await request(indexedDB.open('organise'));
  const store = app.transaction('records').objectStore('records');
  const [keys, values] = [await request(store.getAllKeys()), await request(store.getAll())];
  app.close();
  await request(indexedDB.deleteDatabase('organise-bench-raw'));
  const opening = indexedDB.open('organise-bench-raw', 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore('records');
  const raw = await request(opening);
  const started = performance.now();
  const tx = raw.transaction('records', 'readwrite');
  const put = tx.objectStore('records');
  for (let i = 0; i < keys.length; i++) put.put(values[i], keys[i]);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  const took = performance.now() - started;
  raw.close();
  indexedDB.deleteDatabase('organise-bench-raw');
  return took;
});
await browser.close();

console.log(JSON.stringify({
  cpu_throttle: throttle,
  records,
  people,
  first_sync_ms: firstSync,
  sign_in_to_synced_ms: signInToSynced,
  raw_put_ms: rawPut,
  people_open_ms: { first: peopleFirst, median: percentile(peopleAgain, 50) },
  keystroke_ms: keystrokes.length === 0 ? null
    : { median: percentile(keystrokes, 50), p95: percentile(keystrokes, 95), count: keystrokes.length },
  filtered_keystroke_ms: { median: percentile(filtered, 50), p95: percentile(filtered, 95), count: filtered.length },
  filtered_found: filteredFound,
  baseline_keystroke_ms: { median: percentile(baseline.times, 50), p95: percentile(baseline.times, 95), found: baseline.found },
  plain_baseline_keystroke_ms: { median: percentile(plainBaseline.times, 50), p95: percentile(plainBaseline.times, 95) },
  doors,
  taps,
  next_door_ms: { median: percentile(shown, 50), p95: percentile(shown, 95) },
  memory_mb: { js_heap: heap.usedSize / 2 ** 20, wasm: wasmBytes / 2 ** 20, wasm_after: wasmTrail },
}));
