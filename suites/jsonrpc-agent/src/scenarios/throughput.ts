/**
 * Maximum closed-loop throughput with autocannon: the bare fastify route (the ceiling) and
 * asap.send on the agent, same connections, same duration, same generator. Latency is not taken
 * from autocannon (whole milliseconds); see half-max and transport.
 */
import { autocannonRun, type CannonRun, type CannonSpec } from '@wirebench/kit-http';
import { defineScenario, Figures, joinMeasurements, pick as dur, type Measurement, type ScenarioContext } from '@wirebench/kit';
import { startAgent, startBaseline } from '../targets.js';
import { checkSendText, inputOfSize, taskTemplate } from '../wire.js';

/** Enough connections to keep one agent core busy; more only adds generator work on two cores. */
const CONNECTIONS = 32;

// autocannon sends one fixed body, so one fixed rpc id and envelope id: every reply must echo them.
const SEND = taskTemplate(inputOfSize(0));
const SEND_BODY = SEND.request(1, 'bench-cannon-1');
const verifySend = (b: string): boolean => checkSendText(b, 1, 'bench-cannon-1', SEND.inputJson) === null;
const HELLO = (b: string): boolean => b === '{"hello":"world"}';

function runSpec(ctx: ScenarioContext): Pick<CannonSpec, 'connections' | 'durationMs' | 'warmupMs' | 'signal' | 'sampling'> {
  return { connections: CONNECTIONS, durationMs: dur(ctx, 10_000, 1000), warmupMs: dur(ctx, 2000, 300), signal: ctx.signal, sampling: ctx.sampling };
}

export const baseline = defineScenario({
  name: 'baseline',
  // Not pinned. autocannon is one thread: pinned to one CPU, or driving a server that has a CPU of
  // its own, it saturates on the bare GET route (event loop 95–98% busy, so invalid). Shared CPUs
  // keep it under that, for the baseline and the agent alike.
  description: 'bare fastify 5 route (no plugins) answering {"hello":"world"}: the ceiling, closed loop, autocannon, 32 connections — GET, and POST with the asap.send request body',
  run: async (ctx) => {
    const { url } = await startBaseline(ctx);
    const f = new Figures();
    const get = await autocannonRun({ ...runSpec(ctx), label: 'GET /', url: `${url}/`, method: 'GET', verify: HELLO });
    // Same bytes as the agent's asap.send: fastify parses the JSON body, the route ignores it.
    const post = await autocannonRun({ ...runSpec(ctx), label: 'POST /', url: `${url}/`, method: 'POST', body: SEND_BODY, verify: HELLO });
    ctx.track(post.measurement, 'POST /');
    f.rate('baseline_get', f.add('GET /', get.measurement), 'bare fastify GET /, validated replies');
    f.rate('baseline_post', f.add('POST /', post.measurement), 'bare fastify POST / with the asap.send request body (parsed, ignored)');
    f.notes.push(`in flight when autocannon stopped (not awaited, in no count): GET ${get.cutOff}, POST ${post.cutOff}`);
    f.failures('baseline_failed', 'GET and POST');
    return f.output(get.measurement);
  },
  slo: ['baseline_failed == 0', 'baseline_get_rps >= 1000'],
});

/** Rounds of GET baseline, asap.send and POST baseline back to back (full run). */
const ROUNDS = 5;

export const throughput = defineScenario({
  name: 'throughput',
  // Not pinned. autocannon is one thread: pinned to one CPU, or driving a server that has a CPU of
  // its own, it saturates on the bare GET route (event loop 95–98% busy, so invalid). Shared CPUs
  // keep it under that, for the baseline and the agent alike.
  description: `asap.send max throughput, closed loop, autocannon, ${CONNECTIONS} connections, every reply validated; ratio to the bare-fastify baseline measured in alternating rounds beside it (${ROUNDS} rounds full)`,
  run: async (ctx) => {
    // Both servers up at once, measured in turn: this machine's speed drifts by up to 2× between
    // runs a minute apart, so a ratio of two figures taken far apart measures the drift. Adjacent
    // rounds see the same machine; the median of the per-round ratios resists one disturbed round.
    const agent = await startAgent(ctx);
    const base = await startBaseline(ctx);
    const spec = { connections: CONNECTIONS, durationMs: dur(ctx, 3000, 600), warmupMs: dur(ctx, 500, 200), signal: ctx.signal, sampling: ctx.sampling };
    const rounds = ctx.smoke ? 2 : ROUNDS;
    const f = new Figures();
    const sends: CannonRun[] = [];
    const gets: CannonRun[] = [];
    const posts: CannonRun[] = [];
    const send = async (r: number) => {
      const run = await autocannonRun({ ...spec, label: `asap.send round ${r}`, url: `${agent.url}/asap`, method: 'POST', body: SEND_BODY, verify: verifySend });
      sends.push(run);
      ctx.track(run.measurement, `asap.send round ${r}`);
    };
    const get = async (r: number) => {
      const run = await autocannonRun({ ...spec, label: `GET / round ${r}`, url: `${base.url}/`, method: 'GET', verify: HELLO });
      gets.push(run);
      ctx.track(run.measurement, `GET / round ${r}`);
    };
    const post = async (r: number) => {
      const run = await autocannonRun({ ...spec, label: `POST / round ${r}`, url: `${base.url}/`, method: 'POST', body: SEND_BODY, verify: HELLO });
      posts.push(run);
      ctx.track(run.measurement, `POST / round ${r}`);
    };
    // Rotate the order so no side always runs first (on a warmer or colder machine).
    const orders = [[get, send, post], [send, post, get], [post, get, send]];
    for (let r = 1; r <= rounds; r++) {
      for (const step of orders[(r - 1) % orders.length] as typeof orders[number]) await step(r);
    }
    const all = joinMeasurements(sends.map((r) => r.measurement)) as Measurement; // rounds ≥ 1
    f.rate('send_max', f.add('asap.send', all), 'asap.send, validated replies per second at saturation, all rounds');
    for (const r of gets) f.add('GET /', r.measurement);
    for (const r of posts) f.add('POST /', r.measurement);
    const ratios = sends.map((r, i) => r.okPerSec / (gets[i] as CannonRun).okPerSec);
    const postRatios = sends.map((r, i) => r.okPerSec / (posts[i] as CannonRun).okPerSec);
    f.medianOf('send_round_median_rps', sends.map((r) => r.okPerSec), 'ops/s', 'higher', 'median over rounds of the asap.send rate (half-max takes half of this)');
    f.medianOf('send_vs_baseline', ratios, 'x', 'higher', `median over ${rounds} rounds of asap.send rate ÷ bare fastify GET / rate measured beside it (goal ≥ 0.6); samples: per round`);
    f.medianOf('send_vs_baseline_post', postRatios, 'x', 'higher', 'the same against bare fastify POST / with the same request body');
    f.ratio('send_vs_baseline_spread', Math.max(...ratios) - Math.min(...ratios), 'highest minus lowest per-round ratio: how much the machine moved within this run', 'lower');
    f.failures('send_failed', 'asap.send and both baselines');
    f.notes.push(`requests in flight when autocannon stopped (not awaited, in no count): ${[...sends, ...gets, ...posts].reduce((a, r) => a + r.cutOff, 0)} over ${rounds * 3} runs`);
    return f.output(all);
  },
  // Issue 3's goal: ≥ 0.6 × bare fastify. The seed's floor: > 100 req/s.
  slo: ['send_vs_baseline >= 0.6', 'send_failed == 0', 'send_max_rps >= 100'],
});
