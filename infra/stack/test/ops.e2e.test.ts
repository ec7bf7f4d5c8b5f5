// The operations pages in a real browser against the whole stack: Logs shows what the
// services logged (shipped to NZ_LOGS by kit) and tails a new line live; Audit lists the
// sign-ins and a settings change, and its CSV export holds exactly the filtered rows;
// Events shows decoded events and filters them by type.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type SignedIn } from './support/browser.ts';
import type { TestStack } from './support/stack.ts';

let signedIn: SignedIn | undefined;
let stack: TestStack;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  signedIn = await startSignedIn();
  ({ stack, page, consoleErrors } = signedIn);
}, 120_000);

afterAll(async () => {
  await signedIn?.stop();
});

/** Runs a same-origin request from the signed-in page, as the dashboard's own code would. */
const call = (method: string, path: string, body: unknown) =>
  page.evaluate(
    async ({ method, path, body }) =>
      (
        await fetch(path, {
          method,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).status,
    { method, path, body },
  );

/** A refused sign-in from elsewhere (not the page, whose console stays clean). */
const failedLogin = async (email: string) =>
  (
    await fetch(`${stack.dashboardUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.dashboardUrl },
      body: JSON.stringify({ email, password: 'not-the-password' }),
    })
  ).status;

describe('operations pages', () => {
  it('Logs: the services’ log lines, and a new one live without reload', async () => {
    await page.goto(`${stack.dashboardUrl}/logs`, { waitUntil: 'networkidle' });
    const lines = page.locator('li.line');
    await expect.poll(() => lines.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const services = await page.locator('li.line .service').allTextContents();
    expect(services).toEqual(expect.arrayContaining(['command']));
    await expect
      .poll(
        () =>
          page
            .getByRole('status')
            .filter({ hasText: /^\s*Live/ })
            .count(),
        {
          timeout: 10_000,
        },
      )
      .toBe(1);

    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    const rejected = page.locator('li.line', { hasText: 'request rejected' });
    const before = await rejected.count();
    // A failed sign-in: the command API logs the rejection (and never the password).
    expect(await failedLogin('intruder@example.com')).toBe(401);
    await expect.poll(() => rejected.count(), { timeout: 15_000 }).toBeGreaterThan(before);
    const newest = rejected.first();
    await newest.getByText('Fields').click();
    await expect.poll(() => newest.locator('pre').textContent()).toMatch(/wrong email/i);
    expect(await page.locator('.log-lines').textContent()).not.toContain('not-the-password');

    // Paused, new lines wait and are counted; resuming shows them.
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(await failedLogin('x@example.com')).toBe(401);
    await expect
      .poll(() => page.getByRole('button', { name: /^Resume/ }).textContent(), { timeout: 15_000 })
      .toMatch(/Resume \(\d+ new\)/);
    await page.getByRole('button', { name: /^Resume/ }).click();
    expect(navigations).toEqual([]);

    // The level filter goes to the URL and the history follows it.
    await page.getByLabel('Level').selectOption('warn');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('level') === 'warn');
    const levels = await page.locator('li.line .badge').allTextContents();
    expect(levels.every((level) => level === 'warn')).toBe(true);
  }, 60_000);

  it('Audit: sign-ins and a settings change listed, CSV export matches the filter', async () => {
    expect(await call('PUT', '/api/v1/config', { retention: { logs_days: 5 } })).toBe(200);
    await page.goto(`${stack.dashboardUrl}/audit`, { waitUntil: 'networkidle' });
    const table = page.locator('table.table');
    await expect
      .poll(async () => (await table.textContent()) ?? '', { timeout: 15_000 })
      .toContain('config');
    expect(await table.textContent()).toContain('login');
    expect(await table.textContent()).toContain(stack.owner.email);

    await page.getByLabel('Resource type').fill('config');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('resource_type') === 'config');
    const rows = page.locator('table.table tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(stack.owner.email);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('stream_seq,occurred_at,actor,action,resource_type,resource_id,details');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(`,${stack.owner.email},`);
    expect(csv[1]).toContain(',config,');
    expect(csv[1]).toContain('logs_days');
  }, 40_000);

  it('Events: decoded events, filtered by type', async () => {
    await page.goto(`${stack.dashboardUrl}/events`, { waitUntil: 'networkidle' });
    const types = page.locator('ol.events .type');
    await expect.poll(() => types.count(), { timeout: 10_000 }).toBeGreaterThan(1);
    expect(new Set(await types.allTextContents()).size).toBeGreaterThan(1);

    await page.getByLabel('Event type').fill('group.channel_linked');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('type') === 'group.channel_linked');
    await expect
      .poll(() => types.allTextContents())
      .toEqual(expect.arrayContaining(['group.channel_linked']));
    expect(new Set(await types.allTextContents())).toEqual(new Set(['group.channel_linked']));
    const first = page.locator('ol.events li').first();
    await first.locator('summary').click();
    const payload = (await first.locator('pre').textContent()) ?? '';
    expect(payload).toContain(String(stack.world.channel));
    expect(consoleErrors).toEqual([]);
  }, 30_000);

  // For looking at the pages: OPS_SCREENSHOTS=<dir> saves each at desktop and phone width,
  // light and dark.
  it.runIf(process.env.OPS_SCREENSHOTS)(
    'screenshots',
    async () => {
      const dir = process.env.OPS_SCREENSHOTS ?? '';
      mkdirSync(dir, { recursive: true });
      for (const [name, path] of [
        ['logs', '/logs'],
        ['audit', '/audit'],
        ['events', '/events?type=group.channel_linked'],
      ] as const) {
        for (const width of [1440, 390]) {
          for (const scheme of ['light', 'dark'] as const) {
            await page.setViewportSize({ width, height: 900 });
            await page.emulateMedia({ colorScheme: scheme });
            await page.goto(`${stack.dashboardUrl}${path}`, { waitUntil: 'networkidle' });
            if (name === 'events') await page.locator('ol.events summary').first().click();
            await page.screenshot({ path: join(dir, `${name}-${width}-${scheme}.png`) });
          }
        }
      }
    },
    60_000,
  );
});
