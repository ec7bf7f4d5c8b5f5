// The analytics page and the overview's charts in a real browser against the whole stack:
// verifications made by emulated users show up in every chart, the filters change what
// is drawn (and the URL), and a chart downloads as CSV, PNG and SVG files.
import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/services.ts';
import { launchBrowser, signIn } from './support/browser.ts';
import { eventually, protectGroup, startStack, type TestStack } from './support/stack.ts';

/** Every service shares two cores with other test runs: give the page time to settle. */
const SLOW = 20_000;
const screenshotDir = process.env.SCREENSHOT_DIR ?? join(repoRoot, 'artifacts/screenshots');

/** Cards that draw a chart (bot health is a table). */
const CHARTS = [
  'verifications',
  'users',
  'distribution',
  'cache-breakdown',
  'cache-hit-trend',
  'latency-distribution',
  'latency-trend',
  'api-calls',
  'top-groups',
  'hourly-activity',
  'groups-status',
];

let stack: TestStack;
let browser: BrowserContext;

beforeAll(async () => {
  stack = await startStack({ dashboard: true });
  await protectGroup(stack);
  const { tg, world } = stack;
  // One member who is already in the channel (verified) and two who are not (restricted).
  const bob = await tg.createUser('Bob', 'bob_e2e');
  await tg.join(world.channel, bob.id);
  await tg.join(world.group, bob.id);
  for (const name of ['Carol', 'Dan']) {
    const user = await tg.createUser(name, `${name.toLowerCase()}_e2e`);
    await tg.join(world.group, user.id);
    await eventually(`a prompt for ${name}`, () => tg.promptFor(world.group, user.id));
  }
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const PICKERS = { Period: 'period', Granularity: 'granularity', Group: 'group_id' } as const;
/** A filter select (its accessible name also holds the chosen option, so by its field name). */
const picker = (page: Page, label: keyof typeof PICKERS) =>
  page.locator(`select[name="${PICKERS[label]}"]`);

const card = (page: Page, key: string) => page.locator(`[data-chart="${key}"]`);

async function download(page: Page, chart: Locator, format: string): Promise<Buffer> {
  await chart.getByText('Download', { exact: true }).click();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    chart.getByRole('button', { name: format }).click(),
  ]);
  const path = await file.path();
  return readFileSync(path);
}

describe('the analytics page in a browser', () => {
  it('draws every chart, follows the filters and downloads a chart as CSV, PNG and SVG', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await signIn(page, stack);

    // The projector may still be writing the rollups: reload until the three members' checks
    // are counted (the admin's own messages may add exempt ones).
    const checksShown = () =>
      page.locator('.stat', { hasText: 'Checks' }).locator('dd.value').textContent();
    await expect
      .poll(
        async () => {
          await page.goto(`${stack.dashboardUrl}/analytics`, { waitUntil: 'networkidle' });
          return Number(await checksShown());
        },
        { timeout: SLOW, interval: 1_000 },
      )
      .toBeGreaterThanOrEqual(3);
    const checks = Number(await checksShown());

    for (const key of CHARTS) {
      await expect
        .poll(() => card(page, key).locator('svg rect, svg path').count(), {
          timeout: SLOW,
          message: `chart ${key} draws marks`,
        })
        .toBeGreaterThan(0);
    }
    await expect
      .poll(() => card(page, 'bot-health').locator('table.table tbody tr').count(), {
        timeout: SLOW,
      })
      .toBe(1);
    await expect
      .poll(() => card(page, 'bot-health').textContent(), { timeout: SLOW })
      .toContain('Healthy');
    // Screen readers get the numbers as a table.
    expect(await card(page, 'distribution').locator('table caption').textContent()).toContain(
      'Verification outcomes',
    );
    await page.screenshot({ path: join(screenshotDir, 'e2e-analytics.png'), fullPage: true });

    // Period and granularity: the URL keeps them and the granularity follows the period.
    await picker(page, 'Period').selectOption('24h');
    await page.waitForURL(/period=24h/);
    await expect
      .poll(() => picker(page, 'Granularity').locator('option').allTextContents(), {
        timeout: SLOW,
      })
      .toEqual(['Per hour']);
    await picker(page, 'Period').selectOption('30d');
    await page.waitForURL(/period=30d/);
    await picker(page, 'Granularity').selectOption('week');
    await page.waitForURL(/period=30d&granularity=week/);
    await expect
      .poll(() => card(page, 'verifications').locator('svg rect').count(), { timeout: SLOW })
      .toBeGreaterThan(0);

    // A group filter narrows every chart; the group's checks are all of them here.
    await picker(page, 'Group').selectOption({ label: 'E2E Group' });
    await page.waitForURL(new RegExp(`group_id=${stack.world.group}`));
    await expect
      .poll(() => page.locator('.stat', { hasText: 'Checks' }).locator('dd.value').textContent(), {
        timeout: SLOW,
      })
      .toBe(String(checks));
    await page.reload({ waitUntil: 'networkidle' });
    expect(await picker(page, 'Group').inputValue()).toBe(String(stack.world.group));
    expect(await picker(page, 'Granularity').inputValue()).toBe('week');

    const trend = card(page, 'verifications');
    await expect
      .poll(() => trend.locator('svg rect').count(), { timeout: SLOW })
      .toBeGreaterThan(0);
    const csv = (await download(page, trend, 'CSV data')).toString('utf8').trim().split('\r\n');
    expect(csv[0]).toBe('Bucket start (UTC),Verified,Restricted,Exempt,Error,Total,Cached');
    const totals = csv.slice(1).map((line) => Number(line.split(',')[5]));
    expect(totals.reduce((a, b) => a + b, 0)).toBe(checks);

    const png = await download(page, trend, 'PNG image');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(2_000);

    const svg = (await download(page, trend, 'SVG image')).toString('utf8');
    expect(svg).toMatch(/^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('<rect');
    // Colours are written out, not left as the page's custom properties.
    expect(svg).not.toContain('var(--');

    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows errors this hour, activity by hour and bot health on the overview', async () => {
    const page = await browser.newPage();
    await page.goto(stack.dashboardUrl, { waitUntil: 'networkidle' });
    const errors = page.locator('.stat', { hasText: 'Errors last hour' });
    expect(await errors.locator('dd.value').textContent()).toBe('0');
    expect(await errors.locator('dd.caption').textContent()).toMatch(/^since \d\d:00 UTC$/);
    await expect
      .poll(
        () =>
          page
            .locator('section', { hasText: 'Activity by hour of day' })
            .locator('svg rect')
            .count(),
        { timeout: SLOW },
      )
      .toBeGreaterThan(0);
    expect(
      await page
        .locator('section', { hasText: 'Bot health' })
        .locator('table.table tbody tr')
        .textContent(),
    ).toContain('Healthy');
    await page.close();
  });
});
