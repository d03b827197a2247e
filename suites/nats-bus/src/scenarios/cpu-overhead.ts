/**
 * The bot's CPU per event over the bus versus the v1 direct writes (createDirectStore in the bot's
 * own process), at the same open-loop rate, in rounds (arms in rotating order). The generator is
 * the bot here, so its CPU per event is the figure; the whole system's (generator + nats-server +
 * service) is reported beside it.
 *
 * The bot's figure is the CPU of the generator's driver thread (Measurement.driverCpuS): the kit's
 * open-loop ticker thread (~40–55 µs per event here, in every arm alike) and main thread (sampler,
 * progress) measure; they are not the bot. The whole generator process's figures stay beside it, and
 * an `idle` arm (a driver that does nothing) shows what the measuring leaves in the driver thread.
 * Two bus arms:
 * - `publish`: the bot as deployed — publish and go, nothing subscribed; every event's storage is
 *   checked in the service's database after the load, outside the measured CPU.
 * - `bus`: publish, then wait for the commit signal naming the event (how every other scenario
 *   times an event): the generator also receives and decodes one signal per event, work the bot
 *   does not do.
 */
import { byMode, defineScenario, Figures, openLoop, type Measurement, type ScenarioContext } from '@wirebench/kit';
import { openDatabase } from '@wirebench/nats-bus';
import { directDriver, eventDriver, idleDriver, publishDriver, storedRun } from '../drivers.js';
import { waitIdle } from '../services.js';
import { seededDb, startNats, startService } from '../targets.js';

interface Env {
  url: string;
  directDb: string;
  busDb: string;
  /** Id prefix of the publish arm's current round (set before each of its loads; drivers are built from the env then). */
  tag: string;
}
const RATE = 1000;
const ARMS = ['publish', 'bus', 'direct', 'idle'] as const;
type ArmName = (typeof ARMS)[number];
const load = (ctx: ScenarioContext, arm: string, round: number) => openLoop({ rate: RATE, durationMs: ctx.smoke ? 1500 : 10_000, warmupMs: ctx.smoke ? 500 : 2000, isolate: true, params: { arm, round } });

/** µs of CPU per completed event: the generator's driver thread, the whole generator process, or every process's. */
function cpuPerEvent(m: Measurement, ok: number, which: 'driver' | 'generator' | 'all'): number {
  const cpu = m.cpuS ?? {};
  const s = which === 'driver' ? m.driverCpuS ?? NaN : which === 'generator' ? cpu.generator ?? NaN : Object.values(cpu).reduce((a, b) => a + b, 0);
  return ok > 0 ? (s * 1e6) / ok : NaN;
}

export const cpuOverhead = defineScenario<Env>({
  name: 'cpu-overhead',
  description: `bot-side CPU per event, NATS bus (publish only, and publish + wait for the commit signal) vs direct SQLite writes (v1), ${RATE}/s, rounds; whole-system CPU per event`,
  transport: 'nats',
  async setup(ctx) {
    const { url } = await startNats(ctx, 'nats', false);
    const busDb = seededDb();
    await startService(ctx, { url, delivery: 'core', commit: 'each', dbPath: busDb, needsOwnDb: true });
    return { url, directDb: seededDb(), busDb, tag: '' };
  },
  drivers: {
    publish: (env) => publishDriver({ url: env.url, prefix: env.tag }),
    bus: (env) => eventDriver({ url: env.url, delivery: 'core', via: 'bus' }),
    direct: (env) => directDriver({ dbPath: env.directDb, commit: 'each' }),
    idle: () => idleDriver(),
  },
  async run(ctx, env) {
    const f = new Figures();
    const n = byMode(ctx, { full: 5, smoke: 1 });
    const per = Object.fromEntries(ARMS.flatMap((a) => [[a, [] as number[]], [`${a}Process`, [] as number[]], [`${a}All`, [] as number[]]])) as Record<string, number[]>;
    const ratio = { publish: [] as number[], bus: [] as number[], publishProcess: [] as number[] };
    let last: Measurement | undefined;
    let failed = 0;
    let missing = 0;
    // One unjudged pass of every arm first: a fresh database's first ~10k writes grow its files and
    // cost the direct arm up to twice its steady figure (188–204 µs of process CPU in round 1 of earlier
    // full runs, ~150 after), more than one stage's warm-up absorbs. It narrows that, not removes it:
    // round 1's direct figure was still the highest in both runs since (121.6 and 105.5 µs on the
    // driver thread, the other rounds 63–93); the median per round is what is judged.
    env.tag = `bot${process.pid}settle`;
    if (!ctx.smoke) for (const arm of ARMS) await ctx.measure(openLoop({ rate: RATE, durationMs: 5000, isolate: true, params: { arm, round: 0 } }), { driver: arm, label: `${arm}, settling pass (not judged)` });
    for (let round = 1; round <= n && !ctx.signal.aborted; round++) {
      const got: Partial<Record<ArmName, number>> = {};
      const proc: Partial<Record<ArmName, number>> = {};
      for (let k = 0; k < ARMS.length; k++) {
        const arm = ARMS[(round - 1 + k) % ARMS.length]!;
        if (arm === 'publish') env.tag = `bot${process.pid}t${Date.now().toString(36)}r${round}`;
        const m = await ctx.measure(load(ctx, arm, round), { driver: arm, label: `${arm}, round ${round}` });
        const s = f.add(`${arm}, round ${round}`, m);
        const ok = s.counts.ok + s.counts.retried;
        failed += s.counts.errors + s.counts.timeouts + s.counts.lost;
        if (arm === 'publish') {
          // Published is not stored: once the service has handled all it received, every id must be there, none missing between.
          const idle = await waitIdle({ url: env.url, delivery: 'core' });
          const db = openDatabase(env.busDb, { readonly: true });
          const r = storedRun(db, env.tag);
          db.close();
          const gone = r.top - r.stored + Math.max(0, ok - r.stored);
          missing += gone;
          if (!idle || gone > 0) f.notes.push(`publish, round ${round}: ${r.stored} of the round's events stored (${ok} published in the measured stage, ids up to ${r.top})${idle ? '' : '; the service did not answer the barrier request'}`);
        }
        got[arm] = cpuPerEvent(m, ok, 'driver');
        per[arm]!.push(got[arm]!);
        proc[arm] = cpuPerEvent(m, ok, 'generator');
        per[`${arm}Process`]!.push(proc[arm]!);
        per[`${arm}All`]!.push(cpuPerEvent(m, ok, 'all'));
        if (arm === 'publish') last = m;
      }
      ratio.publish.push(got.publish! / got.direct!);
      ratio.bus.push(got.bus! / got.direct!);
      ratio.publishProcess.push(proc.publish! / proc.direct!);
      ctx.log(`round ${round}: µs per event, driver thread ${ARMS.map((a) => `${a} ${got[a]?.toFixed(1)}`).join(', ')}; process ${ARMS.map((a) => `${a} ${proc[a]?.toFixed(1)}`).join(', ')}`);
    }
    f.medianOf('bot_cpu_us_per_event_publish', per.publish!, 'µs/op', 'lower', "bot (generator driver thread) CPU per event published fire-and-forget, as the bot does: median per round");
    f.medianOf('bot_cpu_us_per_event_bus', per.bus!, 'µs/op', 'lower', 'generator driver thread CPU per event published and waited for until its commit signal: median per round');
    f.medianOf('bot_cpu_us_per_event_direct', per.direct!, 'µs/op', 'lower', 'bot (generator driver thread) CPU per event written directly (v1): median per round');
    f.medianOf('bot_cpu_us_per_event_idle', per.idle!, 'µs/op', 'lower', "generator driver thread CPU per operation of a driver that does nothing: the measuring's share of the figures above");
    f.medianOf('bot_cpu_publish_vs_direct', ratio.publish, 'x', 'lower', 'bot CPU per event (driver thread), publish ÷ direct, per round beside each other');
    f.medianOf('bot_cpu_bus_vs_direct', ratio.bus, 'x', 'lower', 'generator driver thread CPU per event, publish + commit-signal wait ÷ direct, per round beside each other');
    f.medianOf('generator_process_cpu_us_per_event_publish', per.publishProcess!, 'µs/op', 'lower', "the whole generator process's CPU per event published (driver, ticker and main threads): median per round");
    f.medianOf('generator_process_cpu_us_per_event_direct', per.directProcess!, 'µs/op', 'lower', "the whole generator process's CPU per event written directly: median per round");
    f.medianOf('generator_process_cpu_publish_vs_direct', ratio.publishProcess, 'x', 'lower', "the whole generator process's CPU per event, publish ÷ direct, per round beside each other (the ticker and main threads' CPU, in both arms, moves it towards 1)");
    f.medianOf('system_cpu_us_per_event_publish', per.publishAll!, 'µs/op', 'lower', 'generator + nats-server + service CPU per event published fire-and-forget');
    f.medianOf('system_cpu_us_per_event_bus', per.busAll!, 'µs/op', 'lower', 'generator + nats-server + service CPU per event over the bus, commit signal waited for');
    f.medianOf('system_cpu_us_per_event_direct', per.directAll!, 'µs/op', 'lower', 'every process\'s CPU per event with direct writes (the idle targets included)');
    // Unsent operations are not failures here: the direct arm writes SQLite in the generator's own thread, which is the point.
    f.value('failed', failed, 'ops', 'lower', 'errors + timeouts + lost, every round of every arm');
    f.value('publish_not_stored', missing, 'events', 'lower', 'publish arm: events published and not found stored after the service handled everything (gaps in the ids, or fewer stored than published)');
    return f.output(last);
  },
  // The generator is the bot being measured (direct writes run in it): its schedule slipping is expected, not a fault.
  generatorIsTarget: true,
  slo: ['failed == 0', 'publish_not_stored == 0'],
  // The bot's own CPU: the commit-signal wait of the `bus` arm is the benchmark's instrumentation
  // (a profile puts ~180 µs of its ~460 µs per event in receiving and matching signals), not work
  // the bot does; bot_cpu_bus_vs_direct stays as information.
  goals: ['bot_cpu_publish_vs_direct <= 1.05'],
});
