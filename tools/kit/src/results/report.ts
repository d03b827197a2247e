import type { Comparison, MetricComparison } from './compare.js';
import type { Result } from './types.js';

/** Renderers for results: the end-of-run table, and Markdown/JSON reports in seed 003's format. */

const ms = (x: number): string => (x >= 100 ? `${Math.round(x)}ms` : x >= 1 ? `${x.toFixed(2)}ms` : `${(x * 1000).toFixed(0)}µs`);
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
const num = (x: number): string => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : String(Math.round(x * 100) / 100));
const mark = (pass: boolean): string => (pass ? '✅' : '❌');

function failedShare(r: Result): number {
  const bad = r.counts.errors + r.counts.timeouts + r.counts.lost;
  return r.counts.sent ? (bad / r.counts.sent) * 100 : 0;
}

function sloCell(r: Result): string {
  if (!r.slo.length) return '—';
  return r.slo.map((s) => `${s.name} ${mark(s.pass)}`).join('<br>');
}

function status(r: Result): string {
  if (r.interrupted) return '⚠️ interrupted';
  if (!r.valid) return `⚠️ invalid: ${r.invalidReasons.join('; ')}`;
  return r.slo.every((s) => s.pass) ? '✅' : '❌';
}

/** Every kind of failure of a result's measurement, e.g. `errors ECONNRESET×2, http_503×1; timeouts 3; lost 0`. */
export function failureKinds(c: Result['counts']): string {
  const kinds = Object.entries(c.errorsByKind).map(([k, n]) => `${k}×${n}`).join(', ');
  return `errors ${c.errors}${kinds ? ` (${kinds})` : ''}; timeouts ${c.timeouts}; lost ${c.lost}`;
}

/** Plain-text table printed at the end of `bench`. */
export function summaryTable(results: Result[]): string {
  const rows = results.map((r) => [
    r.scenario,
    r.latencyMs.count ? ms(r.latencyMs.p50) : '—',
    r.latencyMs.count ? ms(r.latencyMs.p99) : '—',
    r.latencyMs.count || r.counts.sent ? `${num(r.throughput.achieved)}/s` : '—',
    `${r.counts.ok + r.counts.retried}/${r.counts.sent}`,
    `${r.counts.errors + r.counts.timeouts}/${r.counts.lost}`,
    r.slo.length ? `${r.slo.filter((s) => s.pass).length}/${r.slo.length}` : '—',
    r.interrupted ? 'interrupted' : r.valid ? 'valid' : 'INVALID',
  ]);
  const head = ['scenario', 'p50', 'p99', 'rate', 'ok/sent', 'failed/lost', 'SLO', 'run'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  for (const r of results) {
    for (const s of r.slo.filter((x) => !x.pass)) {
      const what = s.judged === false ? 'goal missed (not judged in a smoke run)' : s.goal ? 'goal failed' : 'SLO failed';
      out.push(`  ${what}: ${r.scenario}: ${s.name} (actual ${s.actual ?? 'n/a'})`);
    }
    // A failure names its kind: "1 failed" alone sends the reader to the JSON.
    const c = r.counts;
    if (c.errors + c.timeouts + c.lost > 0) out.push(`  failed: ${r.scenario}: ${failureKinds(c)}`);
    for (const n of r.notes.filter((x) => /operations failed|failed \(/.test(x))) out.push(`  ${r.scenario}: ${n}`);
    if (!r.valid) out.push(`  invalid: ${r.scenario}: ${r.invalidReasons.join('; ')}`);
  }
  return out.join('\n');
}

function verdictCell(c: MetricComparison): string {
  const icon = { improved: '✅', unchanged: '✅', regressed: '❌', inconclusive: '⚠️' }[c.verdict];
  return `${pct(c.changePct)} ${icon}`;
}

const fmt = (v: number, unit: string): string => (unit === 'ms' ? ms(v) : `${num(v)}${unit === 'ops/s' ? '/s' : ` ${unit}`}`);

/** Markdown in the shape of seed 003's "Benchmark Report Format". */
export function markdownReport(results: Result[], comparison?: Comparison): string {
  const suites = [...new Set(results.map((r) => r.suite))].join(', ');
  const first = results[0];
  const out: string[] = ['## Benchmark Results', ''];
  if (first) {
    out.push(`Suite ${suites} · run \`${first.runId}\`${first.smoke ? ' (smoke)' : ''} · ${first.env.cpuModel}, ${first.env.cores} cores · node ${first.env.node} · commit ${first.env.git.commit?.slice(0, 8) ?? 'unknown'}${first.env.git.dirty ? ' (dirty)' : ''}`, '');
  }
  if (comparison) {
    out.push('### Against baseline', '| Scenario | Metric | Current | Baseline | Change | Status |', '|---|---|---|---|---|---|');
    for (const c of comparison.rows) {
      out.push(`| ${c.scenario} | ${c.metric} | ${fmt(c.current, c.unit)} | ${fmt(c.baseline, c.unit)} | ${pct(c.changePct)} | ${verdictCell(c).split(' ')[1]} ${c.verdict}${c.p !== null ? ` (p=${c.p})` : ''} |`);
    }
    if (comparison.missing.length) out.push('', `Not compared (in one set only): ${comparison.missing.join(', ')}`);
    if (comparison.untrusted.length) out.push('', `Not compared (a run cannot be trusted): ${comparison.untrusted.join(', ')}`);
    out.push('');
  }
  const measured = results.filter((r) => r.latencyMs.count > 0);
  if (measured.length) {
    out.push('### Latency (corrected for coordinated omission where open loop)', '| Scenario | P50 | P95 | P99 | P99 uncorrected | Target |', '|---|---|---|---|---|---|');
    for (const r of measured) out.push(`| ${r.scenario} | ${ms(r.latencyMs.p50)} | ${ms(r.latencyMs.p95)} | ${ms(r.latencyMs.p99)} | ${ms(r.latencyMsUncorrected.p99)} | ${sloCell(r)} |`);
    out.push('', '### Load', '| Test | RPS | Requested | P95 | Errors | Lost | Status |', '|---|---|---|---|---|---|---|');
    for (const r of measured) out.push(`| ${r.scenario} | ${num(r.throughput.achieved)} | ${r.throughput.requested === null ? '—' : num(r.throughput.requested)} | ${ms(r.latencyMs.p95)} | ${failedShare(r).toFixed(2)}% | ${r.counts.lost} | ${status(r)} |`);
    out.push('');
  }
  const metricRows = results.flatMap((r) => Object.entries(r.metrics).map(([k, m]) => `| ${r.scenario} | ${k} | ${num(m.value)} ${m.unit} | ${m.note ?? ''} |`));
  if (metricRows.length) out.push('### Figures', '| Scenario | Metric | Value | Note |', '|---|---|---|---|', ...metricRows, '');
  const unmeasured = results.filter((r) => r.latencyMs.count === 0);
  if (unmeasured.length) {
    out.push('### Other scenarios', '| Scenario | Target | Status |', '|---|---|---|');
    for (const r of unmeasured) out.push(`| ${r.scenario} | ${sloCell(r)} | ${status(r)} |`);
    out.push('');
  }
  return out.join('\n');
}

/** The same content as data: results without their encoded histograms, and the comparison. */
export function jsonReport(results: Result[], comparison?: Comparison): string {
  const slim = results.map(({ histogram: _h, resources, ...r }) => ({
    ...r,
    resources: { ...resources, processes: resources.processes.map(({ timeline: _t, ...p }) => p) },
  }));
  return `${JSON.stringify({ results: slim, ...(comparison ? { comparison } : {}) }, null, 2)}\n`;
}

export function comparisonTable(c: Comparison): string {
  const lines = c.rows.map((r) => `${r.scenario.padEnd(22)} ${r.metric.padEnd(14)} ${fmt(r.baseline, r.unit).padStart(12)} → ${fmt(r.current, r.unit).padEnd(12)} ${pct(r.changePct).padStart(8)}  ${r.verdict}${r.p !== null ? ` (p=${r.p}, ${r.test})` : ''}`);
  if (c.missing.length) lines.push(`not compared (in one set only): ${c.missing.join(', ')}`);
  if (c.untrusted.length) lines.push(`not compared (invalid or interrupted): ${c.untrusted.join(', ')}`);
  lines.push(c.regressed ? 'REGRESSED' : 'no significant regression');
  return lines.join('\n');
}
