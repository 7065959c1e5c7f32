// The installable app: Chrome's installability check, starting with no connection, and a new
// deployment offered to the person and applied only when they accept.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { chromium, expect, test, type Page, type Response } from '@playwright/test';
import { checkControls, controlled, noAxeViolations, noSidewaysScroll, signIn } from './support';

const email = process.env.ORGANISE_DEMO_EMAIL!;
const password = process.env.ORGANISE_DEMO_PASSWORD!;

// The server under test serves `dist/` from the workspace root (see xtask/src/summary.rs) and
// reads each file per request, so rewriting `dist/sw.js` is a new deployment of the worker.
const dist = path.resolve(__dirname, '..', '..', 'dist');
const WORKER_FILES = ['sw.js', 'sw.js.br', 'sw.js.gz'];

const UPDATE_TEXT = 'A new version of Organise is available';
// Chromium's first update check after a worker activates was seen to take up to 5 s.
const UPDATE_CHECK_TIMEOUT = 20_000;

/** The build version of the worker controlling the page. */
async function workerVersion(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const controller = navigator.serviceWorker.controller;
        if (!controller) return reject(new Error('the page has no service worker'));
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => resolve(event.data.version);
        controller.postMessage({ type: 'GET_VERSION' }, [channel.port2]);
      }),
  );
}

/** A PNG's width and height, from its header. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/**
 * Replaces what the server serves as `/sw.js` (and its compressed twins) with a worker of
 * another version, as a deployment would; `restore` puts the built files back.
 */
class Redeployment {
  private saved = new Map<string, Buffer>();

  /** Deploys a new worker version and returns it. */
  deploy(servedWorker: string): string {
    const file = path.join(dist, 'sw.js');
    const built = fs.readFileSync(file, 'utf8');
    // Guard against rewriting some other `dist/` than the one the server reads.
    expect(built, `${file} is what the server serves as /sw.js`).toBe(servedWorker);
    const current = built.match(/^const VERSION = '([0-9a-f]+)';$/m)?.[1];
    expect(current, 'dist/sw.js carries its build version').toBeTruthy();
    const next = `${current}0next`;
    const worker =
      built.replace(`const VERSION = '${current}';`, `const VERSION = '${next}';`) +
      '// a later deployment\n';
    for (const name of WORKER_FILES) {
      const twin = path.join(dist, name);
      if (fs.existsSync(twin)) this.saved.set(twin, fs.readFileSync(twin));
    }
    fs.writeFileSync(file, worker);
    // The server sends a compressed twin when the browser accepts it, so they change too.
    const twins: [string, (text: string) => Buffer][] = [
      [`${file}.br`, (text) => zlib.brotliCompressSync(text)],
      [`${file}.gz`, (text) => zlib.gzipSync(text)],
    ];
    for (const [twin, compress] of twins) {
      if (this.saved.has(twin)) fs.writeFileSync(twin, compress(worker));
    }
    return next;
  }

  /**
   * Takes the split wasm files (the screens that load later) off the server, as a deployment
   * of another build would: its files carry another build's tag. Returns how many.
   */
  withdrawSplitFiles(): number {
    const split = fs.readdirSync(dist).filter((name) => SPLIT_FILE.test(name));
    for (const name of split) {
      const file = path.join(dist, name);
      this.saved.set(file, fs.readFileSync(file));
      fs.unlinkSync(file);
    }
    return split.length;
  }

  restore() {
    for (const [file, bytes] of this.saved) fs.writeFileSync(file, bytes);
    this.saved.clear();
  }
}

/** A wasm file split off the main module (see xtask/src/dist/split.rs), or its twins. */
const SPLIT_FILE = /^(split_|chunk_).*\.wasm(\.br|\.gz)?$/;

test.describe('the installable app', () => {
  const redeployment = new Redeployment();
  test.afterEach(() => redeployment.restore());

  test('Chrome finds the app installable', async ({ launchOptions, baseURL, viewport }) => {
    // Chrome never offers to install from an incognito profile, which is what Playwright's
    // contexts are, so this test starts the browser with a profile of its own.
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'organise-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      ...launchOptions,
      baseURL,
      viewport,
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto('/');
      await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
      await controlled(page);
      const cdp = await context.newCDPSession(page);
      const manifest = await cdp.send('Page.getAppManifest');
      expect(manifest.url).toMatch(/\/manifest\.webmanifest$/);
      expect(manifest.errors).toEqual([]);
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      expect(installabilityErrors).toEqual([]);
    } finally {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });

  test('the manifest describes the app, and every icon has the size it claims', async ({
    request,
  }) => {
    const response = await request.get('/manifest.webmanifest');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/manifest+json');
    const manifest = await response.json();
    expect(manifest).toMatchObject({
      name: 'Organise',
      short_name: 'Organise',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      lang: 'en-GB',
      theme_color: '#5b1f69',
    });
    expect(manifest.description).toBeTruthy();
    expect(manifest.prefer_related_applications ?? false).toBe(false);
    const icons: { src: string; sizes: string; type: string; purpose: string }[] = manifest.icons;
    const kinds = icons.map((icon) => `${icon.purpose} ${icon.sizes}`).sort();
    expect(kinds).toEqual(['any 192x192', 'any 512x512', 'maskable 192x192', 'maskable 512x512']);
    const touch = (await (await request.get('/')).text()).match(
      /<link rel="apple-touch-icon" href="([^"]+)"/,
    )?.[1];
    expect(touch, 'index.html links an apple-touch-icon').toBeTruthy();
    for (const icon of [...icons, { src: touch!, sizes: '180x180', type: 'image/png' }]) {
      const image = await request.get(icon.src);
      expect(image.status(), icon.src).toBe(200);
      expect(image.headers()['content-type'], icon.src).toBe(icon.type);
      const [width, height] = pngSize(await image.body());
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
    }
  });

  test('after one visit the app starts with no connection, answered by the service worker', async ({
    page,
    context,
  }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await controlled(page);

    await context.setOffline(true);
    const responses: Response[] = [];
    page.on('response', (response) => responses.push(response));
    const navigation = await page.reload();
    expect(navigation, 'the reload has a response').not.toBeNull();
    // The server sends the HTML with `no-store`, so only the worker can have answered.
    expect(navigation!.fromServiceWorker()).toBe(true);
    expect(navigation!.status()).toBe(200);
    await expect(page.getByRole('link', { name: 'Organise' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

    // Every file of the shell came from the worker's cache, none from the HTTP cache.
    const shell = responses.filter((r) => !new URL(r.url()).pathname.startsWith('/api/'));
    expect(shell.length).toBeGreaterThanOrEqual(4);
    for (const response of shell) {
      expect(response.fromServiceWorker(), response.url()).toBe(true);
    }
    // The API is not answered from any cache: offline, it fails.
    const apiReached = await page.evaluate(() =>
      fetch('/api/session').then(
        () => true,
        () => false,
      ),
    );
    expect(apiReached).toBe(false);
  });

  test('screens off the doorstep load when first opened, from the worker, offline and after a new deployment', async ({
    page,
    context,
  }) => {
    const fetchedSplit: string[] = [];
    page.on('request', (request) => {
      const name = new URL(request.url()).pathname.slice(1);
      if (SPLIT_FILE.test(name)) fetchedSplit.push(name);
    });
    // A volunteer's shift: an organiser's home also loads their dashboard's code.
    await signIn(page, process.env.ORGANISE_DEMO_VOLUNTEER_EMAIL!, process.env.ORGANISE_DEMO_VOLUNTEER_PASSWORD!);
    await controlled(page);
    await page.getByRole('link', { name: 'Walk lists' }).first().click();
    await expect(page.getByRole('heading', { name: 'Walk lists' })).toBeVisible();
    expect(fetchedSplit, "signing in and opening the walk lists fetch no split file for a volunteer").toEqual([]);

    // A new build is deployed mid-shift: its files have other names, and this page's split
    // files are gone from the server. The page keeps running its own build.
    const served = await (await page.request.get('/sw.js')).text();
    redeployment.deploy(served);
    expect(redeployment.withdrawSplitFiles()).toBeGreaterThan(0);
    const splitResponses: Response[] = [];
    page.on('response', (response) => {
      if (SPLIT_FILE.test(new URL(response.url()).pathname.slice(1))) splitResponses.push(response);
    });
    await page.getByRole('link', { name: 'People' }).first().click();
    await expect(page.getByRole('heading', { name: 'People' })).toBeVisible();
    expect(splitResponses.length, 'People loaded its code when opened').toBeGreaterThan(0);

    // And with no connection at all.
    await context.setOffline(true);
    await page.getByRole('link', { name: 'Settings' }).first().click();
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    for (const response of splitResponses) {
      expect(response.status(), response.url()).toBe(200);
      expect(response.fromServiceWorker(), response.url()).toBe(true);
    }
    await context.setOffline(false);
  });

  test('a screen whose code cannot be fetched says so, and opens when tried again', async ({
    browser,
    baseURL,
  }) => {
    // No service worker: the split files can only come from the network, which fails.
    const phone = await browser.newContext({ baseURL, serviceWorkers: 'block', viewport: { width: 360, height: 640 } });
    const page = await phone.newPage();
    await signIn(page);
    const blocked = (url: URL) => SPLIT_FILE.test(url.pathname.slice(1));
    await phone.route(blocked, (route) => route.abort('internetdisconnected'));
    await page.getByRole('link', { name: 'People' }).first().click();
    await expect(page.getByRole('alert')).toContainText('This screen is not stored on this phone yet');
    await page.setViewportSize({ width: 320, height: 640 });
    await noSidewaysScroll(page, 'a screen not stored yet');
    await checkControls(page, 'a screen not stored yet');
    await noAxeViolations(page, 'a screen not stored yet');
    // The rest of the app still works.
    await page.getByRole('link', { name: 'Lists', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Walk lists' })).toBeVisible();
    await page.getByRole('link', { name: 'People' }).first().click();
    await expect(page.getByRole('alert')).toBeVisible();

    await phone.unroute(blocked);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByRole('heading', { name: 'People' })).toBeVisible();
    await expect(page.getByText('This screen is not stored on this phone yet')).toHaveCount(0);
    await phone.close();
  });

  test('the service worker never caches the API', async ({ page }) => {
    await signIn(page);
    await controlled(page);
    const api = await page.evaluate(async () => {
      const fetched = await fetch('/api/session');
      const cached: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) {
          cached.push(new URL(request.url).pathname);
        }
      }
      return { status: fetched.status, cached };
    });
    expect(api.status).toBe(200);
    expect(api.cached).toContain('/index.html');
    expect(api.cached.filter((p) => p.startsWith('/api'))).toEqual([]);
  });

  test('a new deployment is offered, and applied only when the person accepts', async ({
    page,
  }) => {
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await controlled(page);
    const before = await workerVersion(page);
    const banner = page.getByText(UPDATE_TEXT);
    await expect(banner).toHaveCount(0);

    const served = await (await page.request.get('/sw.js')).text();
    const next = redeployment.deploy(served);
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration!.update();
    });
    await expect(banner).toBeVisible({ timeout: UPDATE_CHECK_TIMEOUT });
    const button = page.getByRole('button', { name: 'Update now' });
    const box = await button.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);

    // Nothing changes until the person accepts: the old worker stays, the page stays.
    const marked = () => page.evaluate(() => (window as unknown as { marked?: boolean }).marked);
    await page.evaluate(() => ((window as unknown as { marked: boolean }).marked = true));
    await page.waitForTimeout(1500);
    expect(await workerVersion(page)).toBe(before);
    expect(await marked()).toBe(true);
    const loadsBefore = loads;

    await Promise.all([page.waitForEvent('load'), button.click()]);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    expect(await marked(), 'the page was reloaded').toBeUndefined();
    expect(await workerVersion(page)).toBe(next);
    await expect(banner).toHaveCount(0);
    // The new worker removed the old version's cache.
    expect(await page.evaluate(() => caches.keys())).toEqual([`organise-shell-${next}`]);
    // It reloaded once, not in a loop.
    await page.waitForTimeout(1500);
    expect(loads - loadsBefore).toBe(1);
  });

  test('coming back to the app checks for a new version, and a reload does not apply it', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await controlled(page);
    const before = await workerVersion(page);
    const banner = page.getByText(UPDATE_TEXT);

    const served = await (await page.request.get('/sw.js')).text();
    redeployment.deploy(served);
    // The page becoming visible again (switching back to the app) asks for a new worker.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await expect(banner).toBeVisible({ timeout: UPDATE_CHECK_TIMEOUT });

    // Reloading is not accepting: the new worker still waits, and is offered again.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(banner).toBeVisible();
    expect(await workerVersion(page)).toBe(before);
  });

  test('the app asks the browser to keep its data once someone is signed in', async ({ page }) => {
    // Count the calls to navigator.storage.persist(); the browser's answer is its own business.
    await page.addInitScript(() => {
      const persist = StorageManager.prototype.persist;
      const counted = window as unknown as { persistCalls: number };
      counted.persistCalls = 0;
      StorageManager.prototype.persist = function () {
        counted.persistCalls += 1;
        return persist.call(this);
      };
    });
    const calls = () =>
      page.evaluate(() => (window as unknown as { persistCalls: number }).persistCalls);
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    expect(await calls()).toBe(0);

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Hello, Demo Organiser' })).toBeVisible();
    await expect.poll(calls, { message: 'persist() was called after sign-in' }).toBe(1);

    // Starting the app already signed in asks too.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Hello, Demo Organiser' })).toBeVisible();
    await expect.poll(calls, { message: 'persist() was called at start' }).toBe(1);
  });

  test('settings show whether the browser keeps the data, and how much room it uses', async ({
    page,
    context,
    baseURL,
  }) => {
    await page.goto('/settings');
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    // A fresh profile has not earned persistence in Chrome's eyes.
    await expect(page.getByText('Storage: may be cleared')).toBeVisible();
    await expect(
      page.getByText(/^Using [\d.]+ (bytes|kB|MB|GB) of [\d.]+ (kB|MB|GB) available\.$/),
    ).toBeVisible();

    // Chrome answers persisted() from its "durable storage" permission. Playwright has no name
    // for it in Chromium, so it is granted through the DevTools protocol.
    const pageSession = await context.newCDPSession(page);
    const { targetInfo } = await pageSession.send('Target.getTargetInfo');
    const browserSession = await context.browser()!.newBrowserCDPSession();
    await browserSession.send('Browser.grantPermissions', {
      origin: new URL(baseURL!).origin,
      browserContextId: targetInfo.browserContextId,
      permissions: ['durableStorage'],
    });
    await page.reload();
    await expect(page.getByText('Storage: kept by the browser')).toBeVisible();
  });
});
