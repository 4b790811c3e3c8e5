/** Headless Chromium (Debian's, installed by scripts/install-browser.sh) driven by puppeteer-core. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { repoRoot } from '../support/cli.js';

/** Screenshots of each report kind are kept here (gitignored; CI can upload the folder). */
export const artifactsDir = join(repoRoot, 'test-artifacts', 'html');

export function chromiumPath(): string {
  const fromEnv = process.env.HEAPGATE_CHROMIUM;
  if (fromEnv) return fromEnv;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // not on PATH
    }
  }
  throw new Error('no Chromium found: run scripts/install-browser.sh (or set HEAPGATE_CHROMIUM)');
}

export async function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Root in CI containers has no user namespace for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
}

export interface LoadedPage {
  page: Page;
  /** console.error / console.warn messages, uncaught exceptions and CSP violations. */
  problems: string[];
  /** Every URL the page tried to fetch other than the report file itself. */
  requests: string[];
  /** First contentful paint, ms after navigation start. */
  firstPaintMs: number;
}

/** Opens a report file with network access refused, and waits until its script has drawn it. */
export async function openReport(browser: Browser, file: string, width = 1280): Promise<LoadedPage> {
  const page = await browser.newPage();
  await page.setViewport({ width, height: 900 });
  const problems: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e instanceof Error ? e.message : String(e)}`));
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    if (r.url() === url) void r.continue();
    else {
      requests.push(r.url());
      void r.abort();
    }
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  // The paint entry can be recorded after the page says it is ready (a big page paints late):
  // wait for it, up to 10 s, rather than read it once.
  const firstPaintMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const seen = performance.getEntriesByName('first-contentful-paint')[0];
        if (seen) return resolve(seen.startTime);
        new PerformanceObserver((list) => {
          const e = list.getEntriesByName('first-contentful-paint')[0];
          if (e) resolve(e.startTime);
        }).observe({ type: 'paint', buffered: true });
        setTimeout(() => resolve(-1), 10_000);
      }),
  );
  return { page, problems, requests, firstPaintMs };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  if (!existsSync(artifactsDir)) mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
