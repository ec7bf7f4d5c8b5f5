// The dashboard tour, in a real browser against `npm start` in demo mode (the emulator and
// its simulated members, the five services, the dashboard): sign in, every page renders
// with demo data, without errors and without WCAG A/AA problems axe-core can find (light
// and dark), a verification appears live on the overview without
// reload, a bot added with its token protects a group and bans a member from the Commands
// page, the audit CSV holds those changes, and the theme switch sticks. Screenshots of every page, light and dark, desktop
// and phone, are saved for people to look at (artifacts/screenshots/tour/).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/services.ts';
import { accessibilityViolations, launchBrowser } from './support/browser.ts';
import { startDemo, type DemoProcess } from './support/demoProcess.ts';
import { eventually } from './support/stack.ts';

const screenshotDir = join(
  process.env.SCREENSHOT_DIR ?? join(repoRoot, 'artifacts/screenshots'),
  'tour',
);

/** Every page of the sidebar, with text its demo data must show. */
const pages = [
  { name: 'overview', path: '/', title: 'Overview' },
  { name: 'groups', path: '/groups', title: 'Groups' },
  { name: 'channels', path: '/channels', title: 'Channels' },
  { name: 'bots', path: '/bots', title: 'Bots' },
  { name: 'analytics', path: '/analytics', title: 'Analytics' },
  { name: 'commands', path: '/commands', title: 'Commands' },
  { name: 'logs', path: '/logs', title: 'Logs' },
  { name: 'audit', path: '/audit', title: 'Audit' },
  { name: 'events', path: '/events', title: 'Events' },
  { name: 'settings', path: '/settings', title: 'Settings' },
] as const;

let demo: DemoProcess;
let browser: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  mkdirSync(screenshotDir, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
}, 60_000);

async function signIn(): Promise<void> {
  await page.goto(demo.dashboardUrl, { waitUntil: 'networkidle' });
  expect(new URL(page.url()).pathname).toBe('/login');
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByLabel('Email').fill(demo.login.email);
  await page.getByLabel('Password').fill(demo.login.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

describe('the dashboard tour (npm start, demo mode)', () => {
  it('signs in with the login npm start printed', async () => {
    await signIn();
    await expect
      .poll(() => page.locator('header h1').textContent(), { timeout: 10_000 })
      .toBe('Overview');
  });

  it('renders every page with demo data, without errors or WCAG A/AA problems, in light and dark, desktop and phone', async () => {
    // the demo's simulated members have been through the gate
    await eventually(
      'demo verifications',
      async () => {
        const response = await page.request.get(`${demo.dashboardUrl}/api/v1/dashboard/stats`);
        const stats = (await response.json()) as { verifications_today?: number };
        return (stats.verifications_today ?? 0) >= 3;
      },
      90_000,
    );
    const violations: string[] = [];
    for (const target of pages) {
      await page.goto(`${demo.dashboardUrl}${target.path}`, { waitUntil: 'networkidle' });
      await expect
        .poll(() => page.locator('header h1').textContent(), { timeout: 10_000 })
        .toBe(target.title);
      expect(await page.locator('main').innerText()).not.toMatch(
        /Something went wrong|\bundefined\b|\bNaN\b|at \S+ \(\S+:\d+:\d+\)/,
      );
      for (const viewport of [
        { name: 'desktop', width: 1440, height: 900 },
        { name: 'phone', width: 390, height: 844 },
      ]) {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        for (const colorScheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme });
          await page.waitForTimeout(400);
          await page.screenshot({
            path: join(screenshotDir, `${target.name}-${viewport.name}-${colorScheme}.png`),
          });
          if (viewport.name === 'desktop')
            violations.push(
              ...(await accessibilityViolations(page)).map(
                (v) => `${target.path} ${colorScheme}: ${v}`,
              ),
            );
        }
      }
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.emulateMedia({ colorScheme: 'light' });
    }
    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 240_000);

  it('shows a new verification on the overview live, without reload', async () => {
    await page.goto(`${demo.dashboardUrl}/`, { waitUntil: 'networkidle' });
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 15_000 })
      .toContain('Live');
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    const groups = (await (
      await page.request.get(`${demo.dashboardUrl}/api/v1/groups?per_page=10`)
    ).json()) as { items: { group_id: string; title: string }[] };
    const group = groups.items.find((g) => g.title === 'Nezuko Community');
    expect(group).toBeDefined();
    const visitor = await demo.tg.createUser('Tourist', 'tour_visitor');
    await demo.tg.join(Number(group?.group_id), visitor.id);
    await expect
      .poll(() => page.locator('li.row', { hasText: 'Tourist' }).first().textContent(), {
        timeout: 20_000,
      })
      .toContain('Restricted');
    expect(navigations).toEqual([]);
  }, 60_000);

  it('adds a bot with its token, which then protects a group and bans a member from the Commands page', async () => {
    const { tg } = demo;
    const bot = await tg.createBot('TourGateBot', 'Tour Gate');
    await page.goto(`${demo.dashboardUrl}/bots`, { waitUntil: 'networkidle' });
    await page.getByLabel('Bot token').fill(bot.token);
    await page.getByRole('button', { name: 'Check token' }).click();
    await page.getByRole('button', { name: 'Save @TourGateBot' }).click();
    const card = page.locator(`li.bot[data-bot-id="${bot.id}"]`);
    await expect
      .poll(() => card.getByTestId('bot-status').textContent(), { timeout: 30_000 })
      .toMatch(/Running/);

    // A group admin protects their group with the new bot, in Telegram.
    const owner = await tg.createUser('Tess', 'tess_tour');
    const channel = await tg.createChat('channel', 'Tour News', {
      username: 'tour_news',
      creatorId: owner.id,
    });
    const group = await tg.createChat('supergroup', 'Tour Group', { creatorId: owner.id });
    await tg.makeAdmin(channel.id, bot.id);
    await tg.makeAdmin(group.id, bot.id);
    await tg.say(group.id, owner.id, '/protect @tour_news');
    await eventually(
      'the tour group on the dashboard',
      async () => {
        const response = await page.request.get(
          `${demo.dashboardUrl}/api/v1/groups?search=Tour%20Group`,
        );
        const body = (await response.json()) as { items: { group_id: string }[] };
        return body.items.some((g) => g.group_id === String(group.id));
      },
      30_000,
    );

    const mallory = await tg.createUser('Mallory', 'mallory_tour');
    await tg.join(group.id, mallory.id);
    await page.goto(`${demo.dashboardUrl}/commands`, { waitUntil: 'networkidle' });
    await page.getByLabel(/^Command/).selectOption('ban_user');
    await page.getByLabel(/^Group/).selectOption(String(group.id));
    await page.getByLabel('User id').fill(String(mallory.id));
    await page.getByRole('button', { name: 'Ban user' }).click();
    const ban = page.locator('tr[data-command-id]', { hasText: 'Tour Group' });
    await expect.poll(() => ban.first().textContent(), { timeout: 30_000 }).toContain('Succeeded');
    expect(await tg.statusOf(group.id, mallory.id)).toBe('kicked');
  }, 120_000);

  it('exports the audit log as CSV, holding what the admin just did', async () => {
    await page.goto(`${demo.dashboardUrl}/audit`, { waitUntil: 'networkidle' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const rows = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(rows[0]).toBe('stream_seq,occurred_at,actor,action,resource_type,resource_id,details');
    const mine = rows.slice(1).filter((row) => row.includes(`,${demo.login.email},`));
    expect(mine.some((row) => row.includes(',bot,'))).toBe(true);
    expect(mine.some((row) => row.includes(',command,'))).toBe(true);
  }, 60_000);

  it('switches the theme, and the choice survives a reload', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
  });
});
