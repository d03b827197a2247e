/**
 * Seed 002's stress test as open-loop steps: the arrival rate rises step by step until the agent
 * breaks (errors ≥ 5 %, p95 ≥ 100 ms, p99 ≥ 500 ms, or achieved < 90 % of requested). One
 * ctx.measure per step, so the search stops at the first breaking step. The degradation curve is
 * result.stages (one stage per step) plus per-step metrics; the max sustainable rate is the last
 * step that did not break, and the recommended capacity 80 % of it. A step where the generator
 * itself fell behind is not the agent's limit: the search stops there and says so.
 */
import { defineScenario, Figures, joinMeasurements, openLoop, summarizeMeasurement, type Measurement, type StageResult } from '@wirebench/kit';
import { sendDriver, type HttpEnv } from '../drivers.js';
import { startAgent, CPU_PLAN } from '../targets.js';

const FULL_RATES = [500, 1000, 2000, 3000, 4000, 5000, 6000, 8000, 10_000, 12_000, 15_000];
const SMOKE_RATES = [1500, 3000, 6000];

export function breaking(st: StageResult): string | null {
  const c = st.counts;
  const failedPct = c.sent ? ((c.errors + c.timeouts + c.lost) / c.sent) * 100 : 0;
  if (failedPct >= 5) return `errors ${failedPct.toFixed(1)}% ≥ 5%`;
  if (st.latencyMs.p99 >= 500) return `p99 ${st.latencyMs.p99} ms ≥ 500 ms`;
  if (st.latencyMs.p95 >= 100) return `p95 ${st.latencyMs.p95} ms ≥ 100 ms`;
  const req = st.throughput.requested ?? 0;
  if (req > 0 && st.throughput.achieved < 0.9 * req) return `achieved ${st.throughput.achieved}/s < 90% of ${req}/s`;
  return null;
}

export const stress = defineScenario<HttpEnv>({
  name: 'stress',
  cpus: CPU_PLAN,
  description: 'asap.send open-loop steps of rising rate until breaking (errors ≥ 5%, p95 ≥ 100 ms, p99 ≥ 500 ms, achieved < 90%): degradation curve, max sustainable rate, 80% capacity',
  setup: async (ctx) => ({ url: (await startAgent(ctx)).url, connections: 64 }),
  driver: (env) => sendDriver(env),
  run: async (ctx) => {
    const f = new Figures();
    const stepMs = ctx.smoke ? 1000 : 5000;
    const rates = ctx.smoke ? SMOKE_RATES : FULL_RATES;
    const done: Measurement[] = [];
    let sustainable = 0;
    let brokeAt = 0;
    let generatorLimitedAt = 0;
    const curve = { rate: [] as number[], achieved: [] as number[], p50: [] as number[], p95: [] as number[], p99: [] as number[], failedPct: [] as number[] };
    for (const [i, rate] of rates.entries()) {
      const m = await ctx.measure({
        ...openLoop({ rate, durationMs: stepMs, warmupMs: i === 0 ? (ctx.smoke ? 500 : 2000) : 0 }),
        // A broken step must end in bounded time; p99 ≥ 500 ms already counts as breaking.
        timeoutMs: 2000,
        // Never hold sends back in the generator: an overloaded agent must show as latency, not as a short send count.
        maxInFlight: 100_000,
      });
      m.stages.forEach((s) => { if (!s.spec.warmup) s.spec.name = `step-${rate}`; });
      done.push(m);
      const sum = summarizeMeasurement(m);
      const st = sum.stages[0]!;
      const c = st.counts;
      const failedPct = c.sent ? ((c.errors + c.timeouts + c.lost) / c.sent) * 100 : 0;
      curve.rate.push(rate); curve.achieved.push(st.throughput.achieved); curve.p50.push(st.latencyMs.p50);
      curve.p95.push(st.latencyMs.p95); curve.p99.push(st.latencyMs.p99); curve.failedPct.push(Math.round(failedPct * 100) / 100);
      const why = breaking(st);
      ctx.log(`step ${rate}/s: achieved ${st.throughput.achieved}/s p95 ${st.latencyMs.p95} ms p99 ${st.latencyMs.p99} ms failed ${failedPct.toFixed(2)}%${why ? ` — BREAK: ${why}` : ''}`);
      if (sum.saturation.length) {
        // The generator fell behind: whatever broke here is not attributable to the agent.
        generatorLimitedAt = rate;
        f.notes.push(`step ${rate}/s is generator-limited (${sum.saturation.join('; ')}): not the agent's limit${why ? ` (it also looked broken: ${why})` : ''}`);
        break;
      }
      if (why) {
        brokeAt = rate;
        f.notes.push(`breaking point at ${rate}/s: ${why}`);
        break;
      }
      sustainable = rate;
    }
    if (!brokeAt) f.notes.push(generatorLimitedAt ? `no breaking point below the generator's limit (${generatorLimitedAt}/s): max sustainable is a lower bound` : `no breaking point up to ${rates[rates.length - 1]}/s: max sustainable is a lower bound`);
    f.value('max_sustainable_rps', sustainable, 'ops/s', 'higher', 'highest step rate that did not break (and was not generator-limited)');
    f.value('recommended_capacity_rps', sustainable * 0.8, 'ops/s', 'higher', '80% of the max sustainable rate');
    f.value('breaking_rps', brokeAt || -1, 'ops/s', 'none', 'first step that broke (-1: none reached)');
    f.value('generator_limited_rps', generatorLimitedAt || -1, 'ops/s', 'none', 'first step where the generator fell behind (-1: never)');
    const label = `per step, rates ${curve.rate.join(', ')}/s`;
    f.value('curve_achieved_rps', curve.achieved[curve.achieved.length - 1] ?? 0, 'ops/s', 'none', `achieved rate of the last step; samples: ${label}`, curve.achieved);
    f.value('curve_p50_ms', curve.p50[curve.p50.length - 1] ?? 0, 'ms', 'none', `p50 of the last step; samples: ${label}`, curve.p50);
    f.value('curve_p95_ms', curve.p95[curve.p95.length - 1] ?? 0, 'ms', 'none', `p95 of the last step; samples: ${label}`, curve.p95);
    f.value('curve_p99_ms', curve.p99[curve.p99.length - 1] ?? 0, 'ms', 'none', `p99 of the last step; samples: ${label}`, curve.p99);
    f.value('curve_failed_pct', curve.failedPct[curve.failedPct.length - 1] ?? 0, '%', 'none', `failed share of the last step; samples: ${label}`, curve.failedPct);
    return f.output(joinMeasurements(done));
  },
  // Seed 002's sustained 1000 RPS as the floor for the max sustainable rate.
  slo: ['max_sustainable_rps >= 1000'],
});
