/** Results (and optionally a baseline's) → the report page's data. */
import type { Comparison } from '../compare.js';
import type { Result } from '../types.js';
import { compareView } from './compare-view.js';
import { curveViews } from './curve.js';
import { resourcesView } from './resources.js';
import { spectrumView } from './spectrum.js';
import { timelineView } from './timeline.js';
import { headlineView, statusOf, verdictViews } from './verdicts.js';
import type { EnvView, ReportView, ScenarioView } from './view.js';

const key = (r: Result): string => `${r.suite}/${r.scenario}`;

export function envView(r: Result): EnvView {
  const e = r.env;
  return { node: e.node, os: e.os, cpuModel: e.cpuModel, cores: e.cores, memoryGb: e.memoryGb, commit: e.git.commit, dirty: e.git.dirty, libraries: e.libraries };
}

export function scenarioView(r: Result, baseline?: Result): ScenarioView {
  return {
    id: key(r).replace(/[^\w-]+/g, '-'),
    suite: r.suite,
    name: r.scenario,
    description: r.description,
    transport: r.transport,
    model: r.load.model,
    smoke: r.smoke,
    status: statusOf(r),
    valid: r.valid,
    interrupted: r.interrupted,
    invalidReasons: r.invalidReasons,
    notes: r.notes,
    verdicts: verdictViews(r),
    headline: headlineView(r),
    spectrum: spectrumView(r, baseline),
    timeline: timelineView(r),
    curves: curveViews(r),
    resources: resourcesView(r),
    metrics: Object.entries(r.metrics).map(([name, m]) => ({ name, value: m.value, unit: m.unit, better: m.better, note: m.note ?? null, samples: m.samples ?? null })),
    durationS: Math.round(r.durationMs) / 1000,
  };
}

export interface ReportInput {
  results: Result[];
  baseline?: Result[];
  comparison?: Comparison;
  generatedAt?: Date;
}

export function reportView({ results, baseline, comparison, generatedAt = new Date() }: ReportInput): ReportView {
  const first = results[0];
  const base = new Map((baseline ?? []).map((r) => [key(r), r]));
  const suites = [...new Set(results.map((r) => r.suite))];
  const runIds = [...new Set(results.map((r) => r.runId))];
  const envs = new Set(results.map((r) => JSON.stringify(r.env)));
  return {
    kind: 'report',
    title: `${suites.join(', ')} · ${runIds.join(', ')}`,
    suites,
    runId: runIds.join(', '),
    smoke: results.some((r) => r.smoke),
    startedAt: first?.startedAt ?? '',
    generatedAt: generatedAt.toISOString(),
    env: first ? envView(first) : null,
    otherEnvs: envs.size - 1,
    scenarios: results.map((r) => scenarioView(r, base.get(key(r)))),
    compare: comparison && baseline ? compareView(comparison, baseline, results) : null,
  };
}
