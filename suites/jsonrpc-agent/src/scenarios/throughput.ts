/**
 * Maximum closed-loop throughput with autocannon: the bare fastify route (the ceiling) and
 * asap.send on the agent, same connections, same duration, same generator, in rotating rounds on
 * targets started once (this machine's speed drifts by up to 2× between runs a minute apart:
 * adjacent rounds see the same machine). Latency is not taken from autocannon (whole
 * milliseconds); see half-max and transport. Not pinned: autocannon is one thread, and pinned to
 * one CPU, or driving a server that has a CPU of its own, it saturates on the bare GET route
 * (event loop 95–98% busy, so invalid); shared CPUs keep it under that.
 */
import { defineScenario, pick, rounds, type Metric, type ScenarioContext } from '@wirebench/kit';
import { cannonArm, type CannonTarget } from '../arms.js';
import { agentTarget, baselineTarget, startUrl } from '../targets.js';
import { BASELINE_REPLY, checkSendText, inputOfSize, taskTemplate } from '../wire.js';

/** Enough connections to keep one agent core busy; more only adds generator work on two cores. */
const CONNECTIONS = 32;

// autocannon sends one fixed body, so one fixed rpc id and envelope id: every reply must echo them.
const SEND = taskTemplate(inputOfSize(0));
const SEND_BODY = SEND.request(1, 'bench-cannon-1');

interface Urls {
  agent: string;
  baseline: string;
}

const sendTarget = (env: Urls): CannonTarget => ({ url: `${env.agent}/asap`, method: 'POST', body: SEND_BODY, verify: (b) => checkSendText(b, 1, 'bench-cannon-1', SEND.inputJson) === null });
const getTarget = (env: Urls): CannonTarget => ({ url: `${env.baseline}/`, method: 'GET', verify: (b) => b === BASELINE_REPLY });
// Same bytes as the agent's asap.send: fastify parses the JSON body, the route ignores it.
const postTarget = (env: Urls): CannonTarget => ({ url: `${env.baseline}/`, method: 'POST', body: SEND_BODY, verify: (b) => b === BASELINE_REPLY });

const cannon = (full: number, smoke: number) => (ctx: ScenarioContext) => ({ connections: CONNECTIONS, durationMs: pick(ctx, full, smoke), warmupMs: pick(ctx, 500, 200) });

export const baseline = defineScenario<Urls>({
  name: 'baseline',
  description: `bare fastify 5 route (no plugins) answering {"hello":"world"}: the ceiling, closed loop, autocannon, ${CONNECTIONS} connections — GET, and POST with the asap.send request body, in rounds`,
  setup: async (ctx) => ({ agent: '', baseline: await startUrl(ctx, baselineTarget()) }),
  run: rounds<Urls>({
    arms: [
      cannonArm({ name: 'baseline_get', label: 'GET /', role: 'baseline', target: getTarget, spec: cannon(3000, 800) }),
      cannonArm({ name: 'baseline_post', label: 'POST /', role: 'baseline', target: postTarget, spec: cannon(3000, 800) }),
    ],
    rounds: { full: 3, smoke: 1 },
    ratios: [{ name: 'post_vs_get', of: 'baseline_post', to: 'baseline_get', note: 'bare POST / (JSON body parsed) ÷ bare GET /, validated replies per second' }],
    measurement: 'baseline_get',
    failures: 'baseline_failed',
  }),
  slo: ['baseline_failed == 0', 'baseline_get_rps >= 1000'],
});

export const throughput = defineScenario<Urls>({
  name: 'throughput',
  description: `asap.send max throughput, closed loop, autocannon, ${CONNECTIONS} connections, every reply validated; ratios to the bare-fastify GET and POST routes measured beside it in rotating rounds (5 full)`,
  setup: async (ctx) => {
    const [agent, baselineUrl] = await Promise.all([startUrl(ctx, agentTarget()), startUrl(ctx, baselineTarget())]);
    return { agent, baseline: baselineUrl };
  },
  run: rounds<Urls>({
    // Round r starts with arm r − 1 (mod 3): no side always runs first, on a warmer or colder machine.
    arms: [
      cannonArm({ name: 'baseline_get', label: 'GET /', role: 'baseline', target: getTarget, spec: cannon(3000, 600) }),
      cannonArm({ name: 'send', label: 'asap.send', role: 'agent', target: sendTarget, spec: cannon(3000, 600) }),
      cannonArm({ name: 'baseline_post', label: 'POST /', role: 'baseline', target: postTarget, spec: cannon(3000, 600) }),
    ],
    rounds: { full: 5, smoke: 2 },
    ratios: [
      { name: 'send_vs_baseline', of: 'send', to: 'baseline_get', note: 'asap.send rate ÷ bare fastify GET / rate (information: a GET carries no body)' },
      { name: 'send_vs_baseline_post', of: 'send', to: 'baseline_post', note: 'asap.send rate ÷ bare fastify POST / rate with the same request body' },
    ],
    joined: { name: 'send_max', figures: ['rate'] },
    failures: 'send_failed',
  }),
  // Kept under its old name so that compare matches runs from before the plan, and half-max reads it.
  metrics: (r) => {
    const m = r.metrics.send_rps;
    const out: Record<string, Metric> = {};
    if (m) out.send_round_median_rps = { ...m, note: `median over rounds of the asap.send rate (= send_rps; half-max takes half of this)` };
    return out;
  },
  // The seed's floor (> 100 req/s) and every reply correct.
  slo: ['send_failed == 0', 'send_max_rps >= 100'],
  // Issue goal: asap.send's max rate ≥ 0.75 × the bare POST route's receiving the same body.
  goals: ['send_vs_baseline_post >= 0.75'],
});
