// Warm offline start: after one visit has installed the service worker, the phone has no
// signal and a CPU four times slower than this machine's; how long until the app's first
// screen is on the page? Prints one JSON object; `cargo xtask bench` runs it.
import { launch, percentile } from './common.mjs';

const baseURL = process.env.BASE_URL;
const runs = Number(process.env.RUNS ?? 15);
const throttle = Number(process.env.CPU_THROTTLE ?? 4);
if (!baseURL) throw new Error('BASE_URL is not set: run this with `cargo xtask bench`');

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
const page = await context.newPage();

// The first visit, online: installs the worker and precaches the shell.
await page.goto(`${baseURL}/sign-in`);
await page.evaluate(async () => {
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  }
});

await context.setOffline(true);
const cdp = await context.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });

const mounted = [];
const loaded = [];
for (let i = 0; i < runs; i++) {
  const response = await page.reload({ waitUntil: 'load' });
  if (!response || !response.fromServiceWorker()) throw new Error('the offline start was not answered by the service worker');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  const timing = await page.evaluate(() => {
    const mark = performance.getEntriesByName('organise-mounted')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    return { mounted: mark ? mark.startTime : null, load: nav ? nav.loadEventEnd : null };
  });
  if (timing.mounted === null) throw new Error('the app set no organise-mounted mark');
  mounted.push(timing.mounted);
  loaded.push(timing.load);
}
await browser.close();

console.log(JSON.stringify({
  runs,
  cpu_throttle: throttle,
  mounted_ms: { median: percentile(mounted, 50), p95: percentile(mounted, 95), min: Math.min(...mounted) },
  load_event_ms: { median: percentile(loaded, 50), p95: percentile(loaded, 95) },
}));
