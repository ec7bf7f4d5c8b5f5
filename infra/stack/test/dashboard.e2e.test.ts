// The dashboard in a real browser (Debian's Chromium through playwright-core) against the
// whole stack: the overview renders the read model server-side, goes live over the
// WebSocket, and shows a verification the moment it happens, without a reload.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/services.ts';
import { launchBrowser, signIn } from './support/browser.ts';
import { eventually, protectGroup, startStack, type TestStack } from './support/stack.ts';

const screenshotDir = process.env.SCREENSHOT_DIR ?? join(repoRoot, 'artifacts/screenshots');

let stack: TestStack;
let browser: BrowserContext;

beforeAll(async () => {
  stack = await startStack({ dashboard: true });
  await protectGroup(stack);
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const statValue = (page: Page, label: string) =>
  page.locator('.stat', { has: page.locator('dt', { hasText: label }) }).locator('dd.value');

describe('the overview page in a browser', () => {
  it('renders the read model and shows a verification live, without reload', async () => {
    const { tg, world } = stack;
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(stack.dashboardUrl, { waitUntil: 'networkidle' });
    // Without a session the dashboard asks to sign in first, then comes back.
    expect(new URL(page.url()).pathname).toBe('/login');
    await signIn(page, stack);
    await expect.poll(() => statValue(page, 'Protected groups').textContent()).toBe('1');
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 10_000 })
      .toContain('Live');
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));

    const carol = await tg.createUser('Carol', 'carol_e2e');
    await tg.join(world.group, carol.id);
    const row = page.locator('li.row', { hasText: 'Carol' });
    await expect.poll(() => row.first().textContent(), { timeout: 15_000 }).toContain('Restricted');

    const prompt = await eventually('a prompt for Carol', () =>
      tg.promptFor(world.group, carol.id),
    );
    await tg.join(world.channel, carol.id);
    await tg.press(world.group, carol.id, prompt.message_id, `nz:v:${carol.id}`);
    await expect
      .poll(() => page.locator('li.row', { hasText: 'Carol' }).allTextContents(), {
        timeout: 15_000,
      })
      .toEqual(expect.arrayContaining([expect.stringContaining('Verified')]));
    await expect
      .poll(() => statValue(page, 'Verifications today').textContent(), { timeout: 10_000 })
      .toBe('2');

    expect(navigations).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'e2e-overview-live.png') });
    await page.close();
  });
});
