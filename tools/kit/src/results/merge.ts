/**
 * Merges the results of one scenario run by N generator shards (`bench --shard i/N`) into the
 * result one generator would have written: counts add, histograms (kept encoded in each shard's
 * result) merge exactly, rates add over the common stage time. The merged result is valid only if
 * every shard's was, all N shards are there, they ran the same load, and they ran together.
 */
import { emptyCounts } from '../engine/recorder.js';
import { encodeHistogram, mergeEncoded, summarize } from './histogram.js';
import { evaluateSlos } from './slo.js';
import { addCounts } from './summarize.js';
import type { Counts, Metric, Result, StageResult, Throughput, Window } from './types.js';

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** Figures that are sums over shards: counts of things (not rates, ratios or percentiles). */
const ADDITIVE_UNITS = new Set(['ops', 'count', 'requests', 'replies']);
/** The kit's standard CPU figures (cpu-figures.ts): per completed operation of the whole result, so an ops-weighted mean is exact. */
const CPU_PER_OP = /^(cpu_us_per_op(_.+)?|generator_cpu_us_per_op)$/;

/** Rates of merged counts over the common time (ms): what one generator would have reported. */
function rates(counts: Counts, durMs: number, requested: number | null): Throughput {
  const perS = (n: number): number => r2(n / (durMs / 1000));
  return {
    requested: requested === null ? null : r2(requested),
    achieved: perS(counts.ok + counts.retried),
    sent: perS(counts.sent),
    ...(counts.bytes ? { bytesPerSec: perS(counts.bytes) } : {}),
  };
}

function merged(parts: string[]): { summary: ReturnType<typeof summarize>; encoded: string } {
  const h = mergeEncoded(parts);
  const out = { summary: summarize(h), encoded: encodeHistogram(h) };
  h.destroy();
  return out;
}

/** Why these results cannot be merged into a trustworthy one (empty: they can). */
export function mergeProblems(rs: readonly Result[]): string[] {
  const out: string[] = [];
  const first = rs[0];
  if (!first) return ['no results to merge'];
  const count = first.shard?.count;
  const missing = rs.filter((r) => !r.shard).map((r) => r.runId);
  if (missing.length) out.push(`not shard results (run with --shard i/N): ${missing.join(', ')}`);
  if (count !== undefined) {
    const seen = new Set(rs.map((r) => r.shard?.index));
    const absent = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
    if (absent.length) out.push(`shard${absent.length > 1 ? 's' : ''} ${absent.join(', ')} of ${count} missing`);
    if (seen.size !== rs.length) out.push('a shard index appears twice');
    if (rs.some((r) => r.shard && r.shard.count !== count)) out.push('the shards disagree on the shard count');
  }
  for (const r of rs.slice(1)) {
    if (r.suite !== first.suite || r.scenario !== first.scenario) out.push(`${r.runId} is ${r.suite}/${r.scenario}, not ${first.suite}/${first.scenario}`);
    if (r.smoke !== first.smoke) out.push('smoke and full runs mixed');
    const { shard: _a, ...la } = r.load;
    const { shard: _b, ...lb } = first.load;
    if (JSON.stringify(la) !== JSON.stringify(lb)) out.push(`${r.runId} ran a different load`);
    if (r.stages.map((s) => s.name).join() !== first.stages.map((s) => s.name).join()) out.push(`${r.runId} measured other stages`);
  }
  // Rates add only over common time: shards that began apart would overstate the merged rate.
  const starts = rs.flatMap((r) => (r.shard?.firstStageAtMs != null ? [r.shard.firstStageAtMs] : []));
  const measuredMs = first.stages.reduce((a, s) => a + s.durationMs, 0);
  if (starts.length > 1) {
    const spread = Math.max(...starts) - Math.min(...starts);
    if (spread > Math.max(20, 0.1 * measuredMs)) out.push(`the shards' first measured stages began ${Math.round(spread)} ms apart (over 10% of the ${Math.round(measuredMs)} ms measured): start them with the same --start-at`);
  }
  return out;
}

function mergeMetrics(rs: readonly Result[], ops: number[]): { metrics: Record<string, Metric>; dropped: string[] } {
  const names = new Set(rs.flatMap((r) => Object.keys(r.metrics)));
  const metrics: Record<string, Metric> = {};
  const dropped: string[] = [];
  const total = ops.reduce((a, b) => a + b, 0);
  for (const name of names) {
    const each = rs.map((r) => r.metrics[name]);
    const first = each[0];
    if (!first || each.some((m) => m === undefined || m.unit !== first.unit)) {
      dropped.push(name);
      continue;
    }
    const all = each as Metric[];
    if (CPU_PER_OP.test(name) && total > 0) {
      // µs per op of each shard × its ops = its µs: their sum over all ops is exact.
      const value = r2(all.reduce((a, m, i) => a + m.value * (ops[i] ?? 0), 0) / total);
      metrics[name] = { ...first, value, note: `${first.note ?? name}; merged: ops-weighted over ${rs.length} shards` };
    } else if (ADDITIVE_UNITS.has(first.unit)) {
      metrics[name] = { value: all.reduce((a, m) => a + m.value, 0), unit: first.unit, better: first.better, note: `${first.note ?? name}; merged: sum over ${rs.length} shards` };
    } else {
      dropped.push(name);
    }
  }
  return { metrics, dropped };
}

function mergeStage(i: number, rs: readonly Result[]): StageResult {
  const parts = rs.map((r) => r.stages[i]!);
  const first = parts[0]!;
  const counts = emptyCounts();
  for (const p of parts) addCounts(counts, p.counts);
  // Open loop: the schedule's length (the same in every shard); closed: the longest issuing time.
  const dur = Math.max(...parts.map((p) => p.durationMs));
  const requested = parts.every((p) => p.throughput.requested !== null) ? parts.reduce((a, p) => a + (p.throughput.requested ?? 0), 0) : null;
  const gcs = parts.flatMap((p) => (p.generatorGc ? [p.generatorGc] : []));
  const faults = parts.flatMap((p, k) => (p.faults ?? []).map((f) => ({ ...f, action: `shard ${rs[k]!.shard?.index ?? k}: ${f.action}` })));
  const hist = (which: 'corrected' | 'uncorrected') => merged(rs.map((r) => r.shard?.stages[i]?.[which] ?? '')).summary;
  return {
    name: first.name,
    model: first.model,
    durationMs: dur,
    latencyMs: hist('corrected'),
    latencyMsUncorrected: hist('uncorrected'),
    throughput: rates(counts, dur, requested),
    counts,
    // Each shard's generator is its own: the busiest one decides whether any saturated.
    generatorBusy: Math.max(...parts.map((p) => p.generatorBusy)),
    ...(gcs.length === parts.length ? { generatorGc: { count: gcs.reduce((a, g) => a + g.count, 0), totalMs: r2(gcs.reduce((a, g) => a + g.totalMs, 0)), maxMs: Math.max(...gcs.map((g) => g.maxMs)) } } : {}),
    ...(faults.length ? { faults } : {}),
  };
}

function mergeWindows(rs: readonly Result[]): Window[] {
  const windowMs = rs[0]?.shard?.windowMs ?? 1000;
  const by = new Map<number, { ok: number; errors: number; h: string[] }>();
  for (const r of rs) {
    for (const w of r.shard?.windows ?? []) {
      const acc = by.get(w.index) ?? { ok: 0, errors: 0, h: [] };
      acc.ok += w.ok;
      acc.errors += w.errors;
      acc.h.push(w.histogram);
      by.set(w.index, acc);
    }
  }
  if (by.size === 0) return [];
  const out: Window[] = [];
  for (let k = 0; k <= Math.max(...by.keys()); k++) {
    const w = by.get(k);
    const s = w ? merged(w.h).summary : null;
    out.push({ tMs: k * windowMs, windowMs, ok: w?.ok ?? 0, errors: w?.errors ?? 0, p50Ms: s?.p50 ?? 0, p99Ms: s?.p99 ?? 0, meanMs: s?.mean ?? 0 });
  }
  return out;
}

/** One result from the shards' results of one scenario (any order). */
export function mergeShards(input: readonly Result[], runId: string): Result {
  const rs = [...input].sort((a, b) => (a.shard?.index ?? 0) - (b.shard?.index ?? 0));
  const first = rs[0];
  if (!first) throw new Error('mergeShards: no results');
  const problems = mergeProblems(rs);
  const canMergeStages = rs.every((r) => r.stages.length === first.stages.length && r.shard?.stages.length === r.stages.length);
  const stages = canMergeStages ? first.stages.map((_, i) => mergeStage(i, rs)) : [];
  const counts = emptyCounts();
  for (const r of rs) addCounts(counts, r.counts);
  const corrected = merged(rs.map((r) => r.histogram.corrected));
  const uncorrected = merged(rs.map((r) => r.histogram.uncorrected));
  const lags = rs.flatMap((r) => (r.shard?.sendLag ? [r.shard.sendLag] : []));
  const totalDur = stages.reduce((a, s) => a + s.durationMs, 0) || Math.max(...rs.map((r) => r.stages.reduce((a, s) => a + s.durationMs, 0)), 1);
  const requested = stages.length && stages.every((s) => s.throughput.requested !== null)
    ? stages.reduce((a, s) => a + (s.throughput.requested ?? 0) * (s.durationMs / 1000), 0) / (totalDur / 1000)
    : null;
  const ops = rs.map((r) => r.counts.ok + r.counts.retried);
  const { metrics, dropped } = mergeMetrics(rs, ops);
  const invalid = [
    ...rs.flatMap((r) => r.invalidReasons.map((why) => `shard ${r.shard?.index ?? '?'}: ${why}`)),
    ...rs.filter((r) => !r.valid && r.invalidReasons.length === 0).map((r) => `shard ${r.shard?.index ?? '?'} was invalid`),
    ...problems,
    ...(canMergeStages ? [] : ['the shards measured different stages: per-stage figures cannot be merged']),
  ];
  const shardIds = rs.map((r) => `${r.shard?.index ?? '?'}=${r.runId}`).join(', ');
  const notes = [
    `merged from ${rs.length} shards (${shardIds}): counts and histograms exactly, rates over the common stage time`,
    ...(dropped.length ? [`metrics not merged (not additive across shards; read them per shard): ${dropped.sort().join(', ')}`] : []),
    ...rs.flatMap((r) => r.notes.filter((n) => !n.startsWith('shard ')).map((n) => `shard ${r.shard?.index ?? '?'}: ${n}`)),
  ];
  const { shard: _shard, ...load } = first.load;
  const result: Result = {
    ...first,
    runId,
    load,
    latencyMs: corrected.summary,
    latencyMsUncorrected: uncorrected.summary,
    histogram: { ...first.histogram, corrected: corrected.encoded, uncorrected: uncorrected.encoded },
    throughput: rates(counts, totalDur, requested),
    counts,
    stages,
    windows: mergeWindows(rs),
    metrics,
    resources: {
      sampleIntervalMs: first.resources.sampleIntervalMs,
      measuredMs: first.resources.measuredMs,
      processes: rs.flatMap((r) => r.resources.processes.map((p) => ({ ...p, role: `shard${r.shard?.index ?? '?'}:${p.role}` }))),
    },
    slo: [],
    valid: false,
    invalidReasons: invalid,
    interrupted: rs.some((r) => r.interrupted),
    notes,
    startedAt: rs.map((r) => r.startedAt).sort()[0] ?? first.startedAt,
    durationMs: Math.max(...rs.map((r) => r.durationMs)),
  };
  delete result.shard;
  delete result.sendLagMs;
  if (lags.length) {
    const lag = merged(lags).summary;
    result.sendLagMs = lag;
  }
  // SLOs and goals are re-judged on the merged figures (their names are their expressions).
  const slos = first.slo.filter((s) => !s.goal).map((s) => s.name);
  const goals = first.slo.filter((s) => s.goal).map((s) => s.name);
  result.slo = [
    ...evaluateSlos(slos, result),
    ...evaluateSlos(goals, result).map((g) => ({ ...g, goal: true, ...(first.smoke ? { judged: false } : {}) })),
  ];
  result.valid = invalid.length === 0;
  return result;
}
