/**
 * affinity: the pool's three session-affinity modes — hint, strict_queue, strict_fail_fast — each
 * a pool of 4 workers, under the same session mix (half the calls on two hot sessions, the rest
 * over 14 others; affinity-log.ts) of `sleep` calls that hold a worker, open loop, in rotating
 * rounds. The front names the worker of every reply (metadata worker_id), so the hit rate is the
 * client's own count: a call that ran on its session's last worker. Latency per mode, errors by
 * kind (strict_fail_fast refuses a call whose worker is busy: worker_busy, expected).
 */
import { chain, defineScenario, openLoop, rounds, type LoadSpec, type Measurement, type Metric, type ScenarioContext } from '@wirebench/kit';
import { performance } from 'node:perf_hooks';
import { affinityFigures } from '../affinity-log.js';
import { affinityDriver, affinityLogs } from '../drivers.js';
import { address, poolTarget } from '../targets.js';

const MODES = ['hint', 'strict_queue', 'strict_fail_fast'] as const;
type Mode = (typeof MODES)[number];
/** Each call holds its worker this long: at 100/s a hot session's calls come 20 ms apart, so its worker is often still busy. */
const SLEEP_MS = 20;
/** The only failure a mode is expected to give under this mix. */
const EXPECTED: Record<Mode, string[]> = { hint: [], strict_queue: [], strict_fail_fast: ['worker_busy'] };

type Env = Record<Mode, string>;

/** The measured stages' spans (µs, main-thread clock) per mode, for the affinity log. */
const windows = new Map<Mode, Array<[number, number]>>();

function load(ctx: ScenarioContext): LoadSpec {
  const rate = Number(ctx.params.affinityRate ?? 100);
  return openLoop({ rate, durationMs: ctx.smoke ? 1500 : 5000, warmupMs: ctx.smoke ? 500 : 1000, timeoutMs: 10_000, params: { rate, sleepMs: SLEEP_MS } });
}

/**
 * From the measured stage's start to the end of the measurement (`endUs`): a call the schedule
 * put in the stage but that left late, after its nominal end, is still the stage's, as the kit counts it.
 */
function measuredSpans(m: Measurement, endUs: number): Array<[number, number]> {
  return m.stages.flatMap((s) => (!s.spec.warmup && s.startUs !== undefined ? [[s.startUs, endUs] as [number, number]] : []));
}

/** `failed`: every failed, timed-out, lost or unsent call of the rounds, as the kit counted them. */
function figures(failed: number): Record<string, Metric> {
  const out: Record<string, Metric> = {};
  let unexpected = 0;
  let expected = 0;
  for (const mode of MODES) {
    const f = affinityFigures(affinityLogs.get(mode)?.ops ?? [], windows.get(mode) ?? []);
    const n = (v: number, note: string, better: Metric['better'] = 'none'): Metric => ({ value: v, unit: 'calls', better, note: `${mode}: ${note}` });
    out[`${mode}_hit_rate`] = { value: Number.isFinite(f.hitRate) ? Math.round(f.hitRate * 1e4) / 1e4 : -1, unit: 'share', better: 'higher', note: `${mode}: calls that ran on the worker of their session's last reply ÷ calls whose session had one (${f.hits + f.misses} judged)` };
    out[`${mode}_hits`] = n(f.hits, 'calls on their session\'s last worker');
    out[`${mode}_misses`] = n(f.misses, 'calls on another worker');
    out[`${mode}_first_calls`] = n(f.first, 'ok calls whose session had no reply yet (not judged)');
    out[`${mode}_calls`] = n(f.calls, 'calls sent in the measured stages');
    for (const [kind, count] of Object.entries(f.errorsByKind)) {
      out[`${mode}_errors_${kind}`] = n(count, `failed calls of kind ${kind}`, 'lower');
      if (EXPECTED[mode].includes(kind)) expected += count;
      else unexpected += count;
    }
    for (const kind of EXPECTED[mode]) out[`${mode}_errors_${kind}`] ??= n(0, `failed calls of kind ${kind}`, 'lower');
  }
  // The kit's count also holds timeouts and lost calls, which a driver's log may not have seen yet.
  out.affinity_unexpected_errors = { value: Math.max(unexpected, failed - expected), unit: 'calls', better: 'lower', note: 'failed calls of any kind a mode should not give (worker_busy is strict_fail_fast\'s; every other failure, timeout or lost call counts)' };
  return out;
}

function run(ctx: ScenarioContext, env: Env) {
  windows.clear();
  affinityLogs.clear();
  return chain<Env>([
    rounds<Env>({
      arms: MODES.map((mode) => ({
        name: mode,
        track: false,
        // Through ctx.measure (so tracked), keeping the measured stages' spans for the affinity log.
        measure: async (c: ScenarioContext, round: number) => {
          const m = await c.measure({ ...load(c), params: { ...load(c).params, arm: mode, round } }, { driver: mode, label: `${mode}, round ${round}` });
          windows.set(mode, [...(windows.get(mode) ?? []), ...measuredSpans(m, performance.now() * 1000)]);
          return m;
        },
      })),
      rounds: { full: 5, smoke: 1 },
      figures: ['p50', 'p99'],
      ratios: [
        { name: 'strict_queue_vs_hint_p99', of: 'strict_queue', to: 'hint', figure: 'p99', note: 'p99 of calls that wait for their own worker ÷ hint (any free worker)' },
      ],
      measurement: 'hint',
      failures: 'affinity_failed_calls',
    }),
  ], { derive: (m) => figures(m.affinity_failed_calls?.value ?? 0) })(ctx, env);
}

export const affinity = defineScenario<Env>({
  name: 'affinity',
  description: 'Session affinity hint / strict_queue / strict_fail_fast under a session mix of 20 ms calls at 100/s: hit rate, latency, errors by kind (rounds)',
  async setup(ctx) {
    const pools = await ctx.processes.startAll(await Promise.all(MODES.map((mode) => poolTarget(`pool-${mode.replace(/_/g, '-')}`, { size: 4, startup: 'concurrent', affinity: mode }))));
    return Object.fromEntries(MODES.map((mode, i) => [mode, address(pools[i]!)])) as Env;
  },
  drivers: Object.fromEntries(MODES.map((mode) => [mode, (env: Env) => affinityDriver(env[mode], mode, SLEEP_MS)])),
  run,
  // Open loop: the generator keeps a CPU of its own so that its schedule holds while the pools'
  // workers (which inherit their pool's CPU) are busy, as in faults.
  cpus: { generator: [0], targets: [1] },
  slo: ['affinity_unexpected_errors == 0', 'strict_queue_hit_rate == 1', 'strict_fail_fast_hit_rate == 1', 'strict_fail_fast_errors_worker_busy > 0', 'hint_calls > 0'],
  goals: ['strict_queue_vs_hint_p99 <= 3'],
});
