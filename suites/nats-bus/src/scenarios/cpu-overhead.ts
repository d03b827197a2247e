/**
 * The bot's CPU per event with the bus (publish + wait for the commit signal) versus the v1 direct
 * writes (createDirectStore in the bot's own process), at the same open-loop rate, in rounds. The
 * generator is the bot here, so its CPU per event is the figure; the whole system's (generator +
 * nats-server + service) is reported beside it.
 */
import { byMode, defineScenario, Figures, openLoop, type Measurement, type ScenarioContext } from '@wirebench/kit';
import { directDriver, eventDriver } from '../drivers.js';
import { seededDb, startNats, startService } from '../targets.js';

interface Env { url: string; directDb: string }
const RATE = 1000;
const load = (ctx: ScenarioContext, arm: string, round: number) => openLoop({ rate: RATE, durationMs: ctx.smoke ? 1500 : 10_000, warmupMs: ctx.smoke ? 500 : 2000, isolate: true, params: { arm, round } });

/** µs of CPU per completed event: the generator's alone, or every process's. */
function cpuPerEvent(m: Measurement, ok: number, which: 'generator' | 'all'): number {
  const cpu = m.cpuS ?? {};
  const s = which === 'generator' ? cpu.generator ?? NaN : Object.values(cpu).reduce((a, b) => a + b, 0);
  return ok > 0 ? (s * 1e6) / ok : NaN;
}

export const cpuOverhead = defineScenario<Env>({
  name: 'cpu-overhead',
  description: `bot-side CPU per event, NATS bus vs direct SQLite writes (v1), ${RATE}/s, rounds; whole-system CPU per event`,
  transport: 'nats',
  async setup(ctx) {
    const { url } = await startNats(ctx, 'nats', false);
    await startService(ctx, { url, delivery: 'core', commit: 'each' });
    return { url, directDb: seededDb() };
  },
  drivers: {
    bus: (env) => eventDriver({ url: env.url, delivery: 'core', via: 'bus' }),
    direct: (env) => directDriver({ dbPath: env.directDb, commit: 'each' }),
  },
  async run(ctx) {
    const f = new Figures();
    const n = byMode(ctx, { full: 5, smoke: 1 });
    const per = { bus: [] as number[], direct: [] as number[], busAll: [] as number[], directAll: [] as number[], ratio: [] as number[] };
    let last: Measurement | undefined;
    let failed = 0;
    for (let round = 1; round <= n && !ctx.signal.aborted; round++) {
      const order = round % 2 ? (['bus', 'direct'] as const) : (['direct', 'bus'] as const);
      const got: Partial<Record<'bus' | 'direct', number>> = {};
      for (const arm of order) {
        const m = await ctx.measure(load(ctx, arm, round), { driver: arm, label: `${arm}, round ${round}` });
        const s = f.add(`${arm}, round ${round}`, m);
        const ok = s.counts.ok + s.counts.retried;
        failed += s.counts.errors + s.counts.timeouts + s.counts.lost;
        got[arm] = cpuPerEvent(m, ok, 'generator');
        per[arm].push(got[arm]!);
        per[arm === 'bus' ? 'busAll' : 'directAll'].push(cpuPerEvent(m, ok, 'all'));
        if (arm === 'bus') last = m;
      }
      per.ratio.push(got.bus! / got.direct!);
    }
    f.medianOf('bot_cpu_us_per_event_bus', per.bus, 'µs/op', 'lower', 'bot (generator) CPU per event over the bus: median per round');
    f.medianOf('bot_cpu_us_per_event_direct', per.direct, 'µs/op', 'lower', 'bot (generator) CPU per event written directly (v1): median per round');
    f.medianOf('bot_cpu_bus_vs_direct', per.ratio, 'x', 'lower', 'bot CPU per event, bus ÷ direct, per round beside each other');
    f.medianOf('system_cpu_us_per_event_bus', per.busAll, 'µs/op', 'lower', 'generator + nats-server + service CPU per event over the bus');
    f.medianOf('system_cpu_us_per_event_direct', per.directAll, 'µs/op', 'lower', 'every process\'s CPU per event with direct writes (the idle targets included)');
    // Unsent operations are not failures here: the direct arm writes SQLite in the generator's own thread, which is the point.
    f.value('failed', failed, 'ops', 'lower', 'errors + timeouts + lost, every round of both arms');
    return f.output(last);
  },
  // The generator is the bot being measured (direct writes run in it): its schedule slipping is expected, not a fault.
  generatorIsTarget: true,
  slo: ['failed == 0'],
  goals: ['bot_cpu_bus_vs_direct <= 1.05'],
});
