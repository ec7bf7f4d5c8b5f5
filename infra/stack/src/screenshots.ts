// `npm run screenshots`: photographs the running dashboard (DASHBOARD_URL, default
// http://localhost:3000) in headless Chromium — every page, light and dark, desktop and
// phone width — into docs/screenshots/ (or SCREENSHOT_DIR). It signs in with
// DASHBOARD_EMAIL / DASHBOARD_PASSWORD, or the login `npm start` left for the demo.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { readDemoLogin } from './demo/demoOwner.ts';
import { repoRoot } from './services.ts';

const base = (process.env.DASHBOARD_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const outDir = process.env.SCREENSHOT_DIR ?? join(repoRoot, 'docs/screenshots');
const pages = (
  process.env.SCREENSHOT_PAGES ??
  'overview,groups,channels,bots,analytics,commands,logs,audit,events,settings'
)
  .split(',')
  .map((name) => ({ name, path: name === 'overview' ? '/' : `/${name}` }));
const viewports = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];
const schemes = ['light', 'dark'] as const;

const email = process.env.DASHBOARD_EMAIL ?? readDemoLogin()?.email;
const password = process.env.DASHBOARD_PASSWORD ?? readDemoLogin()?.password;
if (!email || !password) {
  console.error(
    'No login: start the demo with `npm start` first, or set DASHBOARD_EMAIL and DASHBOARD_PASSWORD.',
  );
  process.exit(1);
}

async function signIn(tab: Page): Promise<void> {
  await tab.goto(`${base}/login`, { waitUntil: 'networkidle' });
  await tab.getByLabel('Email').fill(email ?? '');
  await tab.getByLabel('Password').fill(password ?? '');
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await tab.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15_000 });
}

mkdirSync(outDir, { recursive: true });
const browser = await launchChromium();
try {
  await signIn(await browser.newPage());
  for (const page of pages) {
    for (const viewport of viewports) {
      for (const colorScheme of schemes) {
        const tab = await browser.newPage();
        await tab.emulateMedia({ colorScheme });
        await tab.setViewportSize({ width: viewport.width, height: viewport.height });
        await tab.goto(`${base}${page.path}`, { waitUntil: 'networkidle' });
        // let live updates arrive and charts draw
        await tab.waitForTimeout(Number(process.env.SCREENSHOT_SETTLE_MS ?? 3000));
        const file = join(outDir, `${page.name}-${viewport.name}-${colorScheme}.png`);
        await tab.screenshot({ path: file, fullPage: process.env.SCREENSHOT_FULL_PAGE === '1' });
        console.log(`saved ${file}`);
        await tab.close();
      }
    }
  }
} finally {
  await browser.close();
}
