// The HTML report in a real browser (Debian's Chromium, headless): every chart drew its data, no
// console error, no request beyond the file; the screenshot stays in the run folder
// (results/runs/kit-html/synthetic/report.png, and the trend page's history.png) for a person to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportRun } from '../fixtures/report-results.js';
import { checkPage, pageProblems } from '../results/html/browser.js';
import { workspaceRoot } from './suites.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, '..', '..', 'bin', 'wirebench.js');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 50_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('report --format html --screenshot: a page whose every chart drew its data, checked in headless Chromium', { timeout: 60_000 }, async () => {
  const { current, baseline } = reportRun();
  const runDir = path.join(workspaceRoot(here), 'results', 'runs', 'kit-html', 'synthetic');
  const baseDir = path.join(workspaceRoot(here), 'results', 'runs', 'kit-html', 'base');
  for (const [dir, rs] of [[runDir, current], [baseDir, baseline]] as const) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const r of rs) writeFileSync(path.join(dir, `${r.scenario}.json`), JSON.stringify(r));
  }

  const r = cli(['report', runDir, '--format', 'html', '--baseline', baseDir, '--screenshot']);
  assert.equal(r.code, 0, r.stderr);
  const html = path.join(runDir, 'report.html');
  const png = path.join(runDir, 'report.png');
  assert.deepEqual(r.stdout.trim().split('\n'), [html, png]);
  assert.ok(statSync(png).size > 20_000, 'a screenshot with content');

  const page = await checkPage(html);
  assert.deepEqual(pageProblems(page), []);
  const titles = page.charts.map((c) => c.title);
  // faults: spectrum, latency, throughput, CPU, memory; stress: spectrum, latency, throughput, curve.
  assert.deepEqual(titles, [
    'Latency percentile spectrum', 'Latency per window', 'Throughput per window', 'CPU per process', 'Memory per process',
    'Latency percentile spectrum', 'Latency per window', 'Throughput per window', 'Degradation curve',
  ]);
  const byTitle = (t: string, i = 0) => page.charts.filter((c) => c.title === t)[i]!;
  const spectrum = byTitle('Latency percentile spectrum');
  assert.deepEqual(spectrum.series.map((s) => s.label), ['corrected', 'uncorrected', 'baseline (corrected)']);
  assert.ok(spectrum.series.every((s) => s.values === spectrum.points && s.pixels > 0), 'all three spectra painted');
  assert.equal(byTitle('Latency per window').points, current[0]!.windows.length);
  const curve = byTitle('Degradation curve');
  assert.equal(curve.points, 5);
  assert.ok(curve.series.filter((s) => s.label !== 'failed %').every((s) => s.values === 5 && s.pixels > 0));
  const cpu = byTitle('CPU per process');
  assert.deepEqual(cpu.series.map((s) => s.label), ['generator', 'worker', 'broker']);
  assert.ok(cpu.series.every((s) => s.pixels > 0), 'every process drawn');
});

test('history: a trend page across saved run folders, every chart drawn in headless Chromium', { timeout: 60_000 }, async () => {
  const runs = path.join(workspaceRoot(here), 'results', 'runs');
  const { current, baseline } = reportRun();
  for (const [name, rs] of [['synthetic', current], ['base', baseline]] as const) {
    mkdirSync(path.join(runs, 'kit-html', name), { recursive: true });
    for (const r of rs) writeFileSync(path.join(runs, 'kit-html', name, `${r.scenario}.json`), JSON.stringify(r));
  }
  const out = path.join(runs, 'kit-html', 'history.html');
  const r = cli(['history', 'kit-html', '--dir', runs, '--metric', 'p99,throughput,recovery_*', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const page = await checkPage(out, { screenshot: path.join(runs, 'kit-html', 'history.png') });
  assert.deepEqual(pageProblems(page), []);
  assert.deepEqual(page.charts.map((c) => [c.title, c.points, c.series.map((s) => s.label)]), [
    ['p99', 2, ['faults', 'stress']], ['throughput', 2, ['faults', 'stress']], ['recovery_ms', 2, ['faults']],
  ]);
});

test('report --format html without Chromium fails with one coded line saying how to install it', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wb-html-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { current } = reportRun();
  writeFileSync(path.join(dir, 'faults.json'), JSON.stringify(current[0]));
  const r = spawnSync(process.execPath, [BIN, 'report', dir, '--format', 'html', '--screenshot'], { encoding: 'utf8', env: { ...process.env, WIREBENCH_CHROMIUM: '/nonexistent/chromium' }, timeout: 50_000 });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr.trim(), /^WB_ERR_NOT_FOUND: no Chromium at \/nonexistent\/chromium \(.*apt-get install -y chromium/);
  assert.ok(existsSync(path.join(dir, 'report.html')), 'the page is written before the browser is looked for');
});
