// How the server delivers the built client: types, caching and security headers.
import { expect, test } from '@playwright/test';

test('the index is uncached and protected by a strict CSP', async ({ request }) => {
  const response = await request.get('/');
  expect(response.status()).toBe(200);
  const headers = response.headers();
  expect(headers['cache-control']).toBe('no-store');
  const csp = headers['content-security-policy'];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(headers['x-content-type-options']).toBe('nosniff');
});

test('the hashed wasm module is typed, immutable and sent compressed', async ({ request }) => {
  const html = await (await request.get('/')).text();
  const wasm = html.match(/href="\/([^"]+_bg\.wasm)"/)?.[1];
  expect(wasm, 'index.html preloads the wasm module').toBeTruthy();
  const response = await request.get(`/${wasm}`, { headers: { 'accept-encoding': 'br' } });
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/wasm');
  expect(response.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(response.headers()['content-encoding']).toBe('br');
});

test('a missing asset is a 404, never the app page', async ({ request }) => {
  const response = await request.get('/organise-0000000000000000_bg.wasm');
  expect(response.status()).toBe(404);
  expect(response.headers()['content-type'] ?? '').not.toContain('text/html');
});
