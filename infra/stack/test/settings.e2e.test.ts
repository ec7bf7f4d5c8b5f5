// The settings page in a real browser against the whole stack: an owner saves an operator
// setting (it survives a reload, and the running verification service applies it live),
// meets a concurrent change as a 409 with a reload, adds a viewer who then sees the
// settings read-only with no write controls, deletes that viewer, and picks a theme that
// survives a reload.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/services.ts';
import { launchBrowser, signIn } from './support/browser.ts';
import { eventually, startStack, type TestStack } from './support/stack.ts';

const screenshotDir = process.env.SCREENSHOT_DIR ?? join(repoRoot, 'artifacts/screenshots');
const viewer = { email: 'viewer-e2e@example.com', password: 'viewer password 123' };

let stack: TestStack;
let owner: BrowserContext;
let viewerBrowser: BrowserContext | undefined;

beforeAll(async () => {
  stack = await startStack({ dashboard: true });
  owner = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});

afterAll(async () => {
  await viewerBrowser?.close();
  await owner?.close();
  await stack?.stop();
});

/** The owner's session for API calls through the dashboard's one origin. */
async function ownerApi(): Promise<
  (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<Response>
> {
  const origin = stack.dashboardUrl;
  const login = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: stack.owner.email, password: stack.owner.password }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return (method, path, body, headers = {}) =>
    fetch(`${origin}${path}`, {
      method,
      headers: {
        cookie,
        origin,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}

// The machine running the tests may be busy: a round trip can take seconds.
const patience = { timeout: 15_000 };
const negativeTtl = (page: Page) => page.getByLabel('Non-member answers cached for');
const logFile = (service: string) => readFileSync(join(stack.logDir, `${service}.log`), 'utf8');

describe('the settings page in a browser', () => {
  it('saves a setting that survives a reload and reaches the running service', async () => {
    const page = await owner.newPage();
    await signIn(page, stack);
    await page.goto(`${stack.dashboardUrl}/settings`, { waitUntil: 'networkidle' });
    await expect.poll(() => negativeTtl(page).inputValue(), patience).toBe('60');

    await negativeTtl(page).fill('45');
    await page.locator('select[name="log_levels.verification"]').selectOption('debug');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByText('Settings saved').count(), patience).toBe(1);

    await page.reload({ waitUntil: 'networkidle' });
    expect(await negativeTtl(page).inputValue()).toBe('45');
    expect(await page.locator('select[name="log_levels.verification"]').inputValue()).toBe('debug');
    // The verification process switched its logger without a restart.
    await eventually('verification to log at debug', () =>
      Promise.resolve(
        logFile('verification')
          .split('\n')
          .some(
            (line) =>
              line.includes('log level changed by the operator') && line.includes('"to":"debug"'),
          ),
      ),
    );
    await page.screenshot({ path: join(screenshotDir, 'settings-owner.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({
      path: join(screenshotDir, 'settings-owner-phone.png'),
      fullPage: true,
    });
  });

  it('shows a concurrent change as a conflict and reloads it', async () => {
    const page = await owner.newPage();
    await page.goto(`${stack.dashboardUrl}/settings`, { waitUntil: 'networkidle' });
    // Someone else changes the settings through the API after this page loaded.
    const api = await ownerApi();
    const current = await api('GET', '/api/v1/config');
    const changed = await api(
      'PUT',
      '/api/v1/config',
      { retention: { logs_days: 9 } },
      { 'if-match': current.headers.get('etag') ?? '' },
    );
    expect(changed.status).toBe(200);

    await negativeTtl(page).fill('50');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'Someone else changed' });
    await expect.poll(() => conflict.count(), patience).toBe(1);
    await page.getByRole('button', { name: 'Reload settings' }).click();
    await expect
      .poll(() => page.getByLabel('Keep service logs for').inputValue(), patience)
      .toBe('9');
    expect(await negativeTtl(page).inputValue()).toBe('45');
    expect(await conflict.count()).toBe(0);
  });

  it('adds a viewer who sees the settings read-only, then deletes them', async () => {
    const page = await owner.newPage();
    await page.goto(`${stack.dashboardUrl}/settings#admins`, { waitUntil: 'networkidle' });
    const create = page.getByRole('form', { name: 'Add an admin' });
    await create.getByLabel('Email').fill(viewer.email);
    await create.getByLabel('Role').selectOption('viewer');
    await create.getByLabel('First password').fill(viewer.password);
    await create.getByRole('button', { name: 'Add admin' }).click();
    const row = page.locator('tr', { hasText: viewer.email });
    await expect.poll(() => row.count(), patience).toBe(1);
    expect(await row.getByLabel(`Role of ${viewer.email}`).inputValue()).toBe('viewer');

    viewerBrowser = await launchBrowser();
    const seen = await viewerBrowser.newPage();
    await seen.goto(`${stack.dashboardUrl}/login`, { waitUntil: 'networkidle' });
    await seen.getByLabel('Email').fill(viewer.email);
    await seen.getByLabel('Password').fill(viewer.password);
    await seen.getByRole('button', { name: 'Sign in' }).click();
    await seen.waitForURL((url) => !url.pathname.startsWith('/login'));
    await seen.goto(`${stack.dashboardUrl}/settings`, { waitUntil: 'networkidle' });
    expect(await negativeTtl(seen).inputValue()).toBe('45');
    expect(await negativeTtl(seen).isDisabled()).toBe(true);
    expect(await seen.getByText('Only owners change these settings').count()).toBe(1);
    expect(await seen.getByText('Only owners manage admin accounts').count()).toBe(1);
    for (const name of ['Save settings', 'Send a test event', 'Add admin'])
      expect(await seen.getByRole('button', { name }).count()).toBe(0);
    await seen.screenshot({ path: join(screenshotDir, 'settings-viewer.png'), fullPage: true });

    await row.getByRole('button', { name: `Delete ${viewer.email}` }).click();
    await row.getByRole('button', { name: 'Yes, delete' }).click();
    await expect
      .poll(() => page.locator('tr', { hasText: viewer.email }).count(), patience)
      .toBe(0);
    // Deleted means signed out too.
    await seen.reload({ waitUntil: 'networkidle' });
    expect(new URL(seen.url()).pathname).toBe('/login');
  });

  it('remembers the theme across a reload, in step with the top bar toggle', async () => {
    const page = await owner.newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${stack.dashboardUrl}/settings#theme`, { waitUntil: 'networkidle' });
    const theme = () => page.locator('html').getAttribute('data-theme');
    const toggle = page.getByRole('button', { name: 'Dark theme' });

    await page.getByRole('radio', { name: /Dark/ }).check();
    expect(await theme()).toBe('dark');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await page.reload({ waitUntil: 'networkidle' });
    expect(await theme()).toBe('dark');
    expect(await page.getByRole('radio', { name: /Dark/ }).isChecked()).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'settings-dark.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(screenshotDir, 'settings-dark-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });

    // The toggle and the page share one choice.
    await toggle.click();
    expect(await page.getByRole('radio', { name: /Light/ }).isChecked()).toBe(true);
    await page.getByRole('radio', { name: /System/ }).check();
    await page.reload({ waitUntil: 'networkidle' });
    expect(await theme()).toBeNull();
    expect(await page.getByRole('radio', { name: /System/ }).isChecked()).toBe(true);
  });
});
