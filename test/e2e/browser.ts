/** Launches Debian's Chromium through playwright-core (never a downloaded browser) with a fresh profile. */
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** In CI the browser must be there (.ci/run installs it); elsewhere a missing one skips the browser tests. */
export const browserMissing = (): boolean => !existsSync(CHROMIUM) && !process.env.CI;

/**
 * Build web/dist with Vite when it is not there yet. Test files run in parallel, so each builds into its own
 * folder and renames it into place; a loser of that race finds web/dist already complete and drops its copy.
 */
export function ensureWebBuilt(): void {
  const dist = join(ROOT, 'web/dist');
  if (existsSync(join(dist, 'index.html'))) return;
  const out = mkdtempSync(join(ROOT, 'web/.dist-'));
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'web', '--outDir', out, '--emptyOutDir'],
      { cwd: ROOT, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
    if (!existsSync(join(dist, 'index.html'))) {
      rmSync(dist, { recursive: true, force: true });
      renameSync(out, dist);
    }
  } catch (e) {
    if (!existsSync(join(dist, 'index.html'))) throw e;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export interface Browser { context: BrowserContext; close(): Promise<void> }

export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'hookflow-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  return { context, async close() { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

/**
 * A new page signed in as the owner through the login form. Script errors and Content-Security-Policy
 * violations are pushed into `problems`, for a test to assert there were none.
 */
export async function signedInPage(browser: Browser, baseUrl: string, owner: { email: string; password: string }, problems: string[], timeoutMs = 10_000): Promise<Page> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(timeoutMs);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  await page.goto(`${baseUrl}/login`);
  await page.locator('input[type=email]').fill(owner.email);
  await page.locator('input[type=password]').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('user-email').waitFor();
  return page;
}
