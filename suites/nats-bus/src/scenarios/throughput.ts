/**
 * Persisted events/s for core/jetstream × each/group in a closed loop of `CONCURRENCY` events
 * waiting for their commit, each configuration beside its bare floor, in rounds (the goals).
 * Every arm runs one load (`armLoad`: same concurrency, chat payload, id header, warm-up and
 * timeout), and every service runs warm on a nats-server of its own throughout (services.ts).
 * The floors: core pub → echo → one ack per event (beside commit each); core pub → echo → acks
 * batched under group commit's rule (beside commit group: both wait for a batch the same way, so
 * the ratio is SQLite and the service's work); JetStream publish → durable pull consumer → ack.
 * The max sustainable rate (open loop) is the capacity scenario's.
 */
import { closedLoop, defineScenario, rounds, type LoadSpec, type ScenarioContext } from '@wirebench/kit';
import { eventDriver } from '../drivers.js';
import { CONFIGS, configKey, metricPrefix, serviceOf, startServiceSet, type ServiceSet } from '../services.js';
import { startEcho, type Commit, type Delivery } from '../targets.js';

const CONCURRENCY = 64;
const MESSAGE_BYTES = 64;

interface Env extends ServiceSet {
  /** The echo floors: core on the core+group service's server, JetStream on the jetstream+group one's. */
  echoCore: string;
  echoJs: string;
}

/**
 * Every arm's load: the floors are measured exactly as the bus is. Two generator threads (32 events
 * each): with one, the bare JetStream floor (publish, its PubAck, and the echo's ack: three messages
 * an event in the generator) pegged the thread's event loop in 2 of 3 rounds of a full run, an
 * invalid result and a floor held down by the generator.
 */
const armLoad = (ctx: ScenarioContext, params: Record<string, unknown>): LoadSpec =>
  closedLoop({ concurrency: CONCURRENCY, workers: 2, durationMs: ctx.smoke ? 1500 : 10_000, warmupMs: ctx.smoke ? 500 : 2000, timeoutMs: 10_000, params: { concurrency: CONCURRENCY, messageBytes: MESSAGE_BYTES, ...params } });

const busArm = (d: Delivery, c: Commit) => ({
  name: metricPrefix(d, c),
  label: `${d} delivery, commit ${c}`,
  driver: configKey(d, c),
  load: (ctx: ScenarioContext) => armLoad(ctx, { delivery: d, commit: c }),
});

export const throughput = defineScenario<Env>({
  name: 'throughput',
  description: `persisted events/s (closed loop, ${CONCURRENCY} waiting for their commit) for core/jetstream × each/group vs bare floors measured the same way (core: per-event and batched acks; JetStream), rounds`,
  transport: 'nats',
  async setup(ctx) {
    const set = await startServiceSet(ctx, CONFIGS);
    const core = serviceOf(set, 'core', 'group').url;
    const js = serviceOf(set, 'jetstream', 'group').url;
    await startEcho(ctx, core, false, 'echo-core');
    await startEcho(ctx, js, true, 'echo-js');
    return { ...set, echoCore: core, echoJs: js };
  },
  drivers: {
    ...Object.fromEntries(CONFIGS.map(({ delivery, commit }) => [configKey(delivery, commit), (env: Env) => eventDriver({ url: serviceOf(env, delivery, commit).url, delivery, via: 'bus', messageBytes: MESSAGE_BYTES })])),
    floor_core: (env) => eventDriver({ url: env.echoCore, delivery: 'core', via: 'floor', messageBytes: MESSAGE_BYTES }),
    floor_core_group: (env) => eventDriver({ url: env.echoCore, delivery: 'core', via: 'floor-group', messageBytes: MESSAGE_BYTES }),
    floor_js: (env) => eventDriver({ url: env.echoJs, delivery: 'jetstream', via: 'floor', messageBytes: MESSAGE_BYTES }),
  },
  run: rounds<Env>({
    rounds: { full: 3, smoke: 1 },
    arms: [
      busArm('core', 'each'),
      { name: 'floor_core', label: 'bare core pub → echo → ack per event', driver: 'floor_core', load: (ctx) => armLoad(ctx, { floor: 'core', acks: 'each' }) },
      busArm('core', 'group'),
      { name: 'floor_core_group', label: 'bare core pub → echo → acks batched (group rule)', driver: 'floor_core_group', load: (ctx) => armLoad(ctx, { floor: 'core', acks: 'group' }) },
      busArm('jetstream', 'each'),
      busArm('jetstream', 'group'),
      { name: 'floor_js', label: 'bare JetStream publish → consume → ack', driver: 'floor_js', load: (ctx) => armLoad(ctx, { floor: 'jetstream' }) },
    ],
    figures: ['rps', 'p50', 'p99'],
    ratios: [
      { name: 'core_group_vs_floor', of: 'core_group', to: 'floor_core_group', note: 'core+group ÷ the floor acking in batches under the same rule, events/s' },
      { name: 'core_each_vs_floor', of: 'core_each', to: 'floor_core', note: 'core+each ÷ the floor acking each event, events/s' },
      { name: 'core_group_vs_floor_each', of: 'core_group', to: 'floor_core', note: 'core+group ÷ the floor acking each event at once (no batch wait), events/s: what core_group_vs_floor compared before its floor batched' },
      { name: 'js_group_vs_floor', of: 'js_group', to: 'floor_js' },
      { name: 'js_each_vs_floor', of: 'js_each', to: 'floor_js' },
    ],
    measurement: 'core_group',
    failures: 'failures',
  }),
  // The seed's floor: at least 100 persisted events/s in every configuration; nothing lost.
  slo: ['failures == 0', ...CONFIGS.map((x) => `${metricPrefix(x.delivery, x.commit)}_rps >= 100`)],
  goals: ['core_group_vs_floor >= 0.4', 'js_group_vs_floor >= 0.5', 'js_each_vs_floor >= 0.5'],
});
