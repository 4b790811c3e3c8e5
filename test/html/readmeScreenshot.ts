/// <reference lib="dom" />
/**
 * Writes the README's screenshot of an HTML report: `npx vite-node test/html/readmeScreenshot.ts docs/check-report.png`.
 * The page is `heapgate check --format html` of the bundled leaking example against its baseline,
 * drawn by headless Chromium with the first finding's retention path open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { launchBrowser, openReport } from './browser.js';

const out = process.argv[2];
if (!out) throw new Error('usage: readmeScreenshot.ts <file.png>');
const dir = mkdtempSync(join(tmpdir(), 'heapgate-readme-'));
try {
  const html = join(dir, 'check.html');
  const r = await runCli([
    'check',
    'examples/leaky-cache.gcdump',
    '--baseline',
    'baselines/example.json',
    '--format',
    'html',
    '--output',
    html,
  ]);
  if (r.code !== 1) throw new Error(`heapgate check exited ${r.code}: ${r.stderr}`);
  const browser = await launchBrowser();
  try {
    const loaded = await openReport(browser, html, 1000);
    if (loaded.problems.length > 0) throw new Error(loaded.problems.join('\n'));
    await loaded.page.evaluate(() => {
      const first = document.querySelector('details.finding') as HTMLDetailsElement | null;
      if (!first) throw new Error('no finding on the page');
      first.open = true;
      first.querySelectorAll('details').forEach((d) => (d.open = true));
    });
    await loaded.page.setViewport({ width: 1000, height: 1150 });
    await loaded.page.screenshot({ path: out as `${string}.png` });
  } finally {
    await browser.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
