/**
 * Two kit plans in one scenario, on the same targets: a matrix of informational figures, then the
 * rounds that state a goal against its floor. It only merges what the plans hand back. A metric
 * both name is a mistake in the scenario, not a figure to pick.
 */
import { WbError } from '../errors.js';
import type { Metric } from '../results/types.js';
import type { RunOutput, ScenarioContext } from '../suite/suite.js';
import type { Plan } from './common.js';

export interface ChainOptions {
  /** Index of the plan whose measurement becomes the result's (default: the last). */
  measurement?: number;
  /** Figures from the merged metrics (ratios across the plans); returns more metrics. */
  derive?: (metrics: Readonly<Record<string, Metric>>) => Record<string, Metric>;
}

export function mergeOutputs(outs: readonly RunOutput[], o: ChainOptions = {}): RunOutput {
  const metrics: Record<string, Metric> = {};
  for (const out of outs) {
    for (const [k, v] of Object.entries(out.metrics ?? {})) {
      if (k in metrics) throw new WbError('WB_ERR_INVALID_OPTION', `chain: metric ${k} is named by two plans`);
      metrics[k] = v;
    }
  }
  Object.assign(metrics, o.derive?.(metrics) ?? {});
  const chosen = outs[o.measurement ?? outs.length - 1];
  return {
    ...(chosen?.measurement ? { measurement: chosen.measurement } : {}),
    metrics,
    notes: outs.flatMap((x) => x.notes ?? []),
    invalidReasons: outs.flatMap((x) => x.invalidReasons ?? []),
  };
}

export function chain<E>(plans: ReadonlyArray<Plan<E>>, o: ChainOptions = {}): Plan<E> {
  return async (ctx: ScenarioContext, env: E) => {
    const outs: RunOutput[] = [];
    for (const plan of plans) {
      if (ctx.signal.aborted) break;
      outs.push(await plan(ctx, env));
    }
    return mergeOutputs(outs, o);
  };
}
