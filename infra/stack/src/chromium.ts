// Debian's Chromium through playwright-core, as the screenshots and the browser tests run
// it: headless, without the sandbox a container lacks, and with nothing that reaches the
// network by itself, on a fresh profile each time so no run sees another's session.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts Chromium (CHROMIUM_PATH, default /usr/bin/chromium) on a new profile. */
export function launchChromium(
  options: { viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'nezuko-chromium-')), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs,
    ...options,
  });
}
