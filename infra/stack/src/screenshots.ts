// `npm run screenshots`: photographs the running dashboard (DASHBOARD_URL, default
// http://localhost:3000) in headless Chromium — every page, light and dark, desktop and
// phone width — into docs/screenshots/ (or SCREENSHOT_DIR).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot } from './services.ts';

const base = (process.env.DASHBOARD_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const outDir = process.env.SCREENSHOT_DIR ?? join(repoRoot, 'docs/screenshots');
const pages = [{ name: 'overview', path: '/' }];
const viewports = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];
const schemes = ['light', 'dark'] as const;

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

mkdirSync(outDir, { recursive: true });
const browser = await chromium.launchPersistentContext(
  mkdtempSync(join(tmpdir(), 'nezuko-chromium-')),
  {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs,
  },
);
try {
  for (const page of pages) {
    for (const viewport of viewports) {
      for (const colorScheme of schemes) {
        const tab = await browser.newPage();
        await tab.emulateMedia({ colorScheme });
        await tab.setViewportSize({ width: viewport.width, height: viewport.height });
        await tab.goto(`${base}${page.path}`, { waitUntil: 'networkidle' });
        // let the live feed receive a few pushes
        await tab.waitForTimeout(Number(process.env.SCREENSHOT_SETTLE_MS ?? 3000));
        const file = join(outDir, `${page.name}-${viewport.name}-${colorScheme}.png`);
        await tab.screenshot({ path: file });
        console.log(`saved ${file}`);
        await tab.close();
      }
    }
  }
} finally {
  await browser.close();
}
