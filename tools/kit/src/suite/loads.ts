import type { LoadSpec, StageInput } from './suite.js';

/** Load-shape builders. Warm-up stages run the same operations but are never recorded. */

export function closedLoop(o: { concurrency: number; durationMs: number; warmupMs?: number; count?: number } & Omit<LoadSpec, 'stages'>): LoadSpec {
  const { concurrency, durationMs, warmupMs, count, ...rest } = o;
  const stages: StageInput[] = [];
  if (warmupMs) stages.push({ name: 'warmup', model: 'closed', concurrency, durationMs: warmupMs, warmup: true });
  stages.push({ name: 'measure', model: 'closed', concurrency, durationMs, ...(count ? { count } : {}) });
  return { ...rest, stages };
}

export function openLoop(o: { rate: number; durationMs: number; warmupMs?: number } & Omit<LoadSpec, 'stages'>): LoadSpec {
  const { rate, durationMs, warmupMs, ...rest } = o;
  const stages: StageInput[] = [];
  if (warmupMs) stages.push({ name: 'warmup', model: 'open', rate, durationMs: warmupMs, warmup: true });
  stages.push({ name: 'measure', model: 'open', rate, durationMs });
  return { ...rest, stages };
}

/** Open-loop rate ramping linearly from `from` to `to` ops/s. */
export function ramp(o: { from: number; to: number; durationMs: number; warmupMs?: number } & Omit<LoadSpec, 'stages'>): LoadSpec {
  const { from, to, durationMs, warmupMs, ...rest } = o;
  const stages: StageInput[] = [];
  if (warmupMs) stages.push({ name: 'warmup', model: 'open', rate: from, durationMs: warmupMs, warmup: true });
  stages.push({ name: `ramp-${from}-${to}`, model: 'open', rate: from, rateTo: to, durationMs });
  return { ...rest, stages };
}

/** Open-loop steps at the given rates, each held for `stepMs`. */
export function steps(o: { rates: number[]; stepMs: number; warmupMs?: number } & Omit<LoadSpec, 'stages'>): LoadSpec {
  const { rates, stepMs, warmupMs, ...rest } = o;
  const stages: StageInput[] = [];
  if (warmupMs && rates[0] !== undefined) stages.push({ name: 'warmup', model: 'open', rate: rates[0], durationMs: warmupMs, warmup: true });
  for (const rate of rates) stages.push({ name: `step-${rate}`, model: 'open', rate, durationMs: stepMs });
  return { ...rest, stages };
}

/** Base rate, a spike to `peak`, then back to base: three measured stages. */
export function spike(o: { base: number; peak: number; baseMs: number; spikeMs: number; warmupMs?: number } & Omit<LoadSpec, 'stages'>): LoadSpec {
  const { base, peak, baseMs, spikeMs, warmupMs, ...rest } = o;
  const stages: StageInput[] = [];
  if (warmupMs) stages.push({ name: 'warmup', model: 'open', rate: base, durationMs: warmupMs, warmup: true });
  stages.push({ name: 'base', model: 'open', rate: base, durationMs: baseMs });
  stages.push({ name: 'spike', model: 'open', rate: peak, durationMs: spikeMs });
  stages.push({ name: 'recover', model: 'open', rate: base, durationMs: baseMs });
  return { ...rest, stages };
}
