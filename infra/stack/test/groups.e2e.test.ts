// The Groups and Channels pages in a real browser against the whole stack: the protected
// group is listed and can be searched, filtered and sorted; its settings save against
// their version (and a concurrent change is caught); a channel is unlinked and linked
// again; the channels list and detail show the link.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/services.ts';
import { startSignedIn, type SignedIn } from './support/browser.ts';
import type { TestStack } from './support/stack.ts';

const screenshotDir = process.env.SCREENSHOT_DIR ?? join(repoRoot, 'artifacts/screenshots');

let signedIn: SignedIn | undefined;
let stack: TestStack;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  // The browser reports the conflict test's expected 409 as a failed resource.
  signedIn = await startSignedIn('409 (Conflict)');
  ({ stack, page, consoleErrors } = signedIn);
  mkdirSync(screenshotDir, { recursive: true });
});

afterAll(async () => {
  await signedIn?.stop();
});

const groupId = () => String(stack.world.group);
const groupRows = () => page.locator('tbody tr');
const linkedChannel = () => page.getByRole('link', { name: '@e2e_news' });

describe('the groups pages in a browser', () => {
  it('lists the protected group and searches, filters and sorts through the URL', async () => {
    await page.goto(`${stack.dashboardUrl}/groups`, { waitUntil: 'networkidle' });
    const row = groupRows().filter({ hasText: groupId() });
    await expect.poll(() => row.textContent()).toContain('Protected');
    expect(await row.textContent()).toContain('@e2e_news');

    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('no such group');
    await page.waitForURL((url) => url.searchParams.get('search') === 'no such group');
    await expect.poll(() => page.locator('tbody').textContent()).toContain('No groups match');
    await search.fill(groupId());
    await page.waitForURL((url) => url.searchParams.get('search') === groupId());
    await expect.poll(() => groupRows().count()).toBe(1);

    await page.getByLabel('Status').selectOption('disabled');
    await page.waitForURL((url) => url.searchParams.get('status') === 'disabled');
    await expect.poll(() => page.locator('tbody').textContent()).toContain('No groups match');
    await page.getByLabel('Status').selectOption('protected');
    await page.waitForURL((url) => url.searchParams.get('status') === 'protected');
    await expect.poll(() => groupRows().count()).toBe(1);

    await page.getByRole('link', { name: 'Group', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'title');
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain('Group');
    // The filters survive the sort, and Back returns to the previous view.
    expect(new URL(page.url()).searchParams.get('status')).toBe('protected');
    await page.goBack();
    await page.waitForURL((url) => !url.searchParams.has('sort'));
  });

  it('saves a setting against its version and shows it after a reload', async () => {
    await page
      .locator('tbody a', { hasText: /E2E Group|Group -/ })
      .first()
      .click();
    await page.waitForURL(`**/groups/${groupId()}`);
    await page.getByLabel('When someone is not in the channels').selectOption('ban');
    await page.getByRole('textbox', { name: /^Prompt/ }).fill('Hi {name}, join {channels}');
    await expect
      .poll(() => page.getByTestId('prompt-preview').textContent())
      .toBe('Hi @new_member, join @e2e_news');

    await page.getByLabel('Language').fill('english');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(() => page.locator('#language-error').textContent())
      .toBe('must be a two-letter language code');
    await page.getByLabel('Language').fill('en');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByText('Settings saved.').count(), { timeout: 15_000 }).toBe(1);

    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.getByLabel('When someone is not in the channels').inputValue()).toBe('ban');
    expect(await page.getByTestId('prompt-preview').textContent()).toBe(
      'Hi @new_member, join @e2e_news',
    );
  });

  it('tells the admin when someone else saved first, and loads their version', async () => {
    // Another admin changes the language while this page still shows the old version.
    const other = await page.request.put(`${stack.dashboardUrl}/api/v1/groups/${groupId()}`, {
      headers: { origin: stack.dashboardUrl, 'if-match': '*' },
      data: { settings: { language: 'de' } },
    });
    expect(other.status()).toBe(202);
    await page.getByLabel('Time to verify (seconds)').fill('120');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'Someone else changed' });
    await expect.poll(() => conflict.count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('button', { name: 'Reload settings' }).click();
    await expect
      .poll(() => page.getByLabel('Language').inputValue({ timeout: 2_000 }), { timeout: 15_000 })
      .toBe('de');
    expect(await page.getByLabel('Time to verify (seconds)').inputValue()).toBe('0');
  });

  it('unlinks the channel after confirming, and links it again', async () => {
    await page.getByRole('button', { name: 'Unlink @e2e_news' }).click();
    await page.getByRole('button', { name: 'Yes, unlink' }).click();
    await expect
      .poll(() => page.getByText('No linked channels').count(), { timeout: 15_000 })
      .toBe(1);

    await page.getByRole('button', { name: 'Link a channel' }).click();
    await page.getByLabel('Channel id').fill('42');
    await page.getByRole('button', { name: 'Link channel' }).click();
    await expect.poll(() => page.getByText('must be a channel id').count()).toBe(1);
    await page.getByLabel('Channel id').fill(String(stack.world.channel));
    await page.getByLabel('Username').fill('e2e_news');
    await page.getByLabel('Title').fill('E2E News');
    await page.getByRole('button', { name: 'Link channel' }).click();
    await expect.poll(() => linkedChannel().count(), { timeout: 15_000 }).toBe(1);
    await page.screenshot({ path: join(screenshotDir, 'e2e-group-detail.png'), fullPage: true });
  });

  it('lists the channel and shows the group that requires it', async () => {
    await page.goto(`${stack.dashboardUrl}/channels`, { waitUntil: 'networkidle' });
    const row = page.locator('tbody tr').filter({ hasText: String(stack.world.channel) });
    await expect.poll(() => row.textContent()).toContain('E2E News');
    await row.getByRole('link').click();
    await page.waitForURL(`**/channels/${stack.world.channel}`);
    const groups = page.locator('section', { hasText: 'Groups that require it' });
    await expect.poll(() => groups.locator('tbody tr').count()).toBe(1);
    expect(await groups.textContent()).toContain(groupId());
    expect(consoleErrors).toEqual([]);
  });
});
