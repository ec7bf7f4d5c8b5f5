// The Bots and Commands pages in a real browser against the whole stack: an admin adds a
// second bot by its token and watches it start, switches it off and on, bans a member of
// the protected group and sees the command succeed, sees Telegram's error on a command
// that fails, and deletes the bot after confirming — every status change arriving live,
// without a reload.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/services.ts';
import { startSignedIn, type SignedIn } from './support/browser.ts';
import type { TestStack } from './support/stack.ts';

const screenshotDir = process.env.SCREENSHOT_DIR ?? join(repoRoot, 'artifacts/screenshots');
const live = { timeout: 20_000 };

let signedIn: SignedIn | undefined;
let stack: TestStack;
let browser: BrowserContext;
let page: Page;
const navigations: string[] = [];
let consoleErrors: string[];

beforeAll(async () => {
  // The refused token's 400 is part of the test; anything else is a defect.
  signedIn = await startSignedIn('status of 400');
  ({ stack, browser, page, consoleErrors } = signedIn);
  mkdirSync(screenshotDir, { recursive: true });
});

afterAll(async () => {
  await signedIn?.stop();
});

/**
 * Waits until the page is live (hydrated, socket open), then records navigations from
 * now on: live updates must never need one.
 */
async function watchNavigations() {
  await expect
    .poll(() => page.locator('.indicator[role="status"]').textContent(), live)
    .toContain('Live');
  navigations.length = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  });
}

const botCard = (botId: number) => page.locator(`li.bot[data-bot-id="${botId}"]`);

describe('the Bots page', () => {
  it('adds a bot by its token and shows it running, live', async () => {
    const second = await stack.tg.createBot('SecondE2EBot', 'Second');
    await page.goto(`${stack.dashboardUrl}/bots`, { waitUntil: 'networkidle' });
    await watchNavigations();
    const token = page.getByLabel('Bot token');
    expect(await token.getAttribute('type')).toBe('password');

    // Checked in the browser first, then by Telegram (an unknown token, named at the field).
    await token.fill('not a token');
    await page.getByRole('button', { name: 'Check token' }).click();
    await expect.poll(() => page.locator('#token-error').textContent()).toMatch(/not a bot token/);
    await token.fill(`${second.id}:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    await page.getByRole('button', { name: 'Check token' }).click();
    await expect
      .poll(() => page.locator('#token-error').textContent())
      .toMatch(/does not accept this bot token/);

    await token.fill(second.token);
    await page.getByRole('button', { name: 'Check token' }).click();
    const identity = page.locator('.identity');
    await expect.poll(() => identity.textContent()).toContain('@SecondE2EBot');
    expect(await identity.textContent()).toContain('Second');
    await page.getByRole('button', { name: 'Save @SecondE2EBot' }).click();
    await expect.poll(() => token.inputValue()).toBe('');

    const card = botCard(second.id);
    await expect
      .poll(() => card.getByTestId('bot-status').textContent(), live)
      .toContain('Running');
    await expect.poll(() => card.getByTestId('bot-uptime').textContent(), live).toMatch(/\ds$/);
    // The uptime keeps counting in the browser between readings.
    const before = await card.getByTestId('bot-uptime').textContent();
    await expect.poll(() => card.getByTestId('bot-uptime').textContent()).not.toBe(before);
    expect(await page.content()).not.toContain(second.token.split(':')[1]);

    await card.getByRole('button', { name: 'Deactivate' }).click();
    await expect
      .poll(() => card.getByTestId('bot-lifecycle').textContent(), live)
      .toContain('Inactive');
    await expect
      .poll(() => card.getByTestId('bot-status').textContent(), live)
      .toContain('Stopped');
    await card.getByRole('button', { name: 'Activate' }).click();
    await expect
      .poll(() => card.getByTestId('bot-lifecycle').textContent(), live)
      .toContain('Active');
    await expect
      .poll(() => card.getByTestId('bot-status').textContent(), live)
      .toContain('Running');
    expect(navigations).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'e2e-bots.png'), fullPage: true });
  });
});

describe('the Commands page', () => {
  it('bans a member and shows the command succeed, live', async () => {
    const { tg, world } = stack;
    const mallory = await tg.createUser('Mallory', 'mallory_e2e');
    await tg.join(world.group, mallory.id);
    await page.goto(`${stack.dashboardUrl}/commands`, { waitUntil: 'networkidle' });
    await watchNavigations();

    await page.getByLabel(/^Command/).selectOption('ban_user');
    await page.getByLabel(/^Group/).selectOption(String(world.group));
    // Checked before anything is sent.
    await page.getByRole('button', { name: 'Ban user' }).click();
    await expect
      .poll(() => page.locator('#error-user_id').textContent())
      .toBe('Enter the Telegram user id.');
    await page.getByLabel('User id').fill(String(mallory.id));
    await page.getByRole('button', { name: 'Ban user' }).click();

    const ban = page.locator('tr[data-command-id]', { hasText: 'Ban user' });
    await expect.poll(() => ban.textContent(), live).toContain('Succeeded');
    expect(await ban.textContent()).toContain('E2E Group');
    expect(await tg.statusOf(world.group, mallory.id)).toBe('kicked');
  });

  it("shows Telegram's error when a command fails", async () => {
    const { world } = stack;
    const succeeded = await page
      .locator('tr[data-command-id]', { hasText: 'Ban user' })
      .getAttribute('data-command-id');
    // Telegram refuses to ban the group's owner.
    await page.getByLabel(/^User id/).fill(String(world.admin.id));
    await page.getByRole('button', { name: 'Ban user' }).click();
    const failed = page.locator(`tr[data-command-id]:not([data-command-id="${succeeded}"])`, {
      hasText: 'Ban user',
    });
    await expect.poll(() => failed.textContent(), live).toContain('Failed');
    expect(await failed.textContent()).toContain("can't remove chat owner");
    expect(navigations).toEqual([]);

    // The status filter narrows the list to the failed command.
    await page.getByLabel('Status').selectOption('failed');
    await page.waitForURL((url) => url.searchParams.get('status') === 'failed');
    await expect.poll(() => page.locator('tr[data-command-id]').count()).toBe(1);
    await page.screenshot({ path: join(screenshotDir, 'e2e-commands.png'), fullPage: true });
  });
});

describe('deleting a bot', () => {
  it('asks first, then removes it from the list', async () => {
    await page.goto(`${stack.dashboardUrl}/bots`, { waitUntil: 'networkidle' });
    const card = page.locator('li.bot', { hasText: '@SecondE2EBot' });
    await card.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('Delete @SecondE2EBot?');
    // Cancelling keeps it; confirming deletes it.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await card.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete bot' }).click();
    await expect.poll(() => card.count(), live).toBe(0);
    // Gone for good: the read model agrees once the deletion reaches it.
    await expect
      .poll(async () => {
        await page.reload({ waitUntil: 'networkidle' });
        return card.count();
      }, live)
      .toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});

describe('a viewer', () => {
  it('sees the bots and commands but no controls to change them', async () => {
    const viewer = { email: 'viewer@e2e.example', password: 'viewer-password-0123' };
    const created = await page.request.post(`${stack.dashboardUrl}/api/v1/admins`, {
      data: { ...viewer, role: 'viewer' },
      headers: { origin: stack.dashboardUrl },
    });
    expect(created.status()).toBe(201);
    // The same browser, signed in as the viewer instead.
    await browser.clearCookies();
    await page.goto(`${stack.dashboardUrl}/login`, { waitUntil: 'networkidle' });
    await page.getByLabel('Email').fill(viewer.email);
    await page.getByLabel('Password').fill(viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));

    await page.goto(`${stack.dashboardUrl}/bots`, { waitUntil: 'networkidle' });
    expect(await page.locator(`li.bot[data-bot-id="${stack.world.bot.id}"]`).count()).toBe(1);
    expect(await page.getByRole('button').allTextContents()).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/Check token|Deactivate|Activate|Delete/)]),
    );
    expect(await page.getByLabel('Bot token').count()).toBe(0);

    await page.goto(`${stack.dashboardUrl}/commands`, { waitUntil: 'networkidle' });
    expect(await page.locator('tr[data-command-id]').count()).toBeGreaterThan(0);
    expect(await page.getByLabel(/^Command/).count()).toBe(0);
  });
});
