// Real-browser helpers for the dashboard tests: Debian's Chromium through playwright-core,
// and signing in through the login page as a person would.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../src/chromium.ts';
import { protectGroup, startStack, type TestStack } from './stack.ts';

export function launchBrowser(viewport = { width: 1440, height: 900 }): Promise<BrowserContext> {
  return launchChromium({ viewport });
}

/** Signs in with the stack's owner through /login and waits for the overview. */
export async function signIn(page: Page, stack: TestStack): Promise<void> {
  await page.goto(`${stack.dashboardUrl}/login`, { waitUntil: 'networkidle' });
  await page.getByLabel('Email').fill(stack.owner.email);
  await page.getByLabel('Password').fill(stack.owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** The whole stack with a protected group, and its owner signed in on one page. */
export interface SignedIn {
  readonly stack: TestStack;
  readonly browser: BrowserContext;
  readonly page: Page;
  /** What the page logged as an error, but for the ones a test provokes on purpose. */
  readonly consoleErrors: string[];
  stop(): Promise<void>;
}

/**
 * Starts the stack, protects its group, opens the dashboard signed in as the owner, and
 * collects the page's console errors except those containing `expectedConsoleError`.
 */
export async function startSignedIn(expectedConsoleError?: string): Promise<SignedIn> {
  const stack = await startStack({ dashboard: true });
  let browser: BrowserContext | undefined;
  const stop = async () => {
    await browser?.close();
    await stack.stop();
  };
  try {
    await protectGroup(stack);
    browser = await launchBrowser();
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      const text = message.text();
      if (
        message.type() === 'error' &&
        !(expectedConsoleError && text.includes(expectedConsoleError))
      )
        consoleErrors.push(text);
    });
    await signIn(page, stack);
    return { stack, browser, page, consoleErrors, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/**
 * WCAG 2 A and AA problems axe-core finds on the page as it is now (contrast in the current
 * colour scheme, labels, focusable scroll regions…), one line each, for a readable failure.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(`
    axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }).then((result) =>
      result.violations.flatMap((v) =>
        v.nodes.map((n) => v.id + ' (' + v.impact + '): ' + n.target.join(' ') + ' - ' + (n.failureSummary || '').replace(/\\s+/g, ' ')),
      ),
    )
  `);
}
