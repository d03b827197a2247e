/**
 * What a page inlines, read at render time: uPlot's minified build and stylesheet from
 * node_modules (the page must open with no network, so nothing is linked), and our own page
 * scripts and stylesheet from client/ (plain browser JavaScript: it runs in the page, not in Node).
 *
 * Why uPlot: ~50 KB minified with no dependencies, so every report stays a small single file;
 * canvas drawing fast enough for tens of thousands of points; log scales (latency spectra and
 * tails) and hooks to draw stage boundaries and fault markers on the plot. ECharts (~1 MB) would
 * make each report twenty times larger; Chart.js has no better log axes and is slower on long series.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export interface PageAssets {
  libJs: string;
  libCss: string;
  css: string;
  /** shared helpers (charts, markers, formatting), then the page's own script */
  script: (kind: 'report' | 'history') => string;
}

let cached: PageAssets | null = null;

export function pageAssets(): PageAssets {
  if (cached) return cached;
  // The package's main entry is dist/uPlot.cjs.js; the browser (IIFE, global `uPlot`) build sits beside it.
  const dist = path.dirname(require.resolve('uplot'));
  const client = (f: string): string => readFileSync(path.join(here, 'client', f), 'utf8');
  const charts = client('charts.js');
  const pages = { report: client('report.js'), history: client('history.js') };
  cached = {
    libJs: readFileSync(path.join(dist, 'uPlot.iife.min.js'), 'utf8'),
    libCss: readFileSync(path.join(dist, 'uPlot.min.css'), 'utf8'),
    css: client('style.css'),
    script: (kind) => `${charts}\n${pages[kind]}`,
  };
  return cached;
}
