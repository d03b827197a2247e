/**
 * Opens a rendered page in headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core, which never downloads a browser of its own) and reports what it drew: console
 * errors, requests that left the file (a report must open offline), each chart's points and
 * painted pixels (window.wbCheck, client/charts.js), and a full-page screenshot.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { WbError } from '../../errors.js';

export interface ChartCheck {
  title: string;
  points: number;
  series: Array<{ label: string; values: number; pixels: number; color: string | null }>;
}

export interface PageCheck {
  errors: string[];
  /** Every request the page made beyond its own file: none is allowed. */
  requests: string[];
  charts: ChartCheck[];
  /** charts the page announced (body[data-ready]) */
  announced: number;
}

export const CHROMIUM_HINT = 'install Chromium (Debian: apt-get install -y chromium) or set WIREBENCH_CHROMIUM to its path';

export function chromiumPath(): string {
  const p = process.env.WIREBENCH_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(p)) throw new WbError('WB_ERR_NOT_FOUND', `no Chromium at ${p}`, { hint: CHROMIUM_HINT });
  return p;
}

export async function checkPage(htmlFile: string, opts: { screenshot?: string; width?: number; timeoutMs?: number } = {}): Promise<PageCheck> {
  const executablePath = chromiumPath();
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new WbError('WB_ERR_NOT_FOUND', 'playwright-core is not installed', { hint: 'npm ci installs it (a devDependency of @wirebench/kit)' });
  }
  const timeout = opts.timeoutMs ?? 30_000;
  // --no-sandbox: CI and this lab run as root, where Chromium's sandbox refuses to start.
  const browser = await chromium.launch({ executablePath, headless: true, timeout, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--font-render-hinting=none'] });
  try {
    const page = await browser.newPage({ viewport: { width: opts.width ?? 1400, height: 900 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    const requests: string[] = [];
    const own = pathToFileURL(htmlFile).href;
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (r.url() !== own) requests.push(r.url());
    });
    await page.goto(own, { waitUntil: 'load', timeout });
    await page.waitForFunction('document.body.dataset.ready !== undefined', undefined, { timeout });
    const announced = Number(await page.evaluate('document.body.dataset.ready'));
    const charts = (await page.evaluate('window.wbCheck()')) as ChartCheck[];
    if (opts.screenshot) await page.screenshot({ path: opts.screenshot, fullPage: true, timeout });
    return { errors, requests, charts, announced };
  } finally {
    await browser.close();
  }
}

/** What is wrong with a checked page, one line each: empty when every chart drew its data and nothing failed. */
export function pageProblems(c: PageCheck): string[] {
  const out = [...c.errors.map((e) => `console error: ${e}`), ...c.requests.map((r) => `network request: ${r}`)];
  if (c.charts.length !== c.announced) out.push(`${c.announced} charts announced, ${c.charts.length} drawn`);
  for (const ch of c.charts) {
    if (ch.points === 0) out.push(`chart "${ch.title}" has no points`);
    else if (!ch.series.some((s) => s.values > 0 && s.pixels > 0)) out.push(`chart "${ch.title}" painted none of its series`);
  }
  return out;
}
