/**
 * Maximum closed-loop throughput with autocannon: the bare fastify route (the ceiling) and
 * asap.send on the agent, same connections, same duration, same generator. Latency is not taken
 * from autocannon (whole milliseconds); see half-max and transport.
 */
import { autocannonRun, type CannonSpec } from '@wirebench/kit-http';
import { defineScenario, Figures, median, pick as dur, type ScenarioContext } from '@wirebench/kit';
import { startAgent, startBaseline, CPU_PLAN } from '../targets.js';
import { checkSendText, inputOfSize, taskTemplate } from '../wire.js';

/** Enough connections to keep one agent core busy; more only adds generator work on two cores. */
const CONNECTIONS = 32;

// autocannon sends one fixed body, so one fixed rpc id and envelope id: every reply must echo them.
const SEND = taskTemplate(inputOfSize(0));
const SEND_BODY = SEND.request(1, 'bench-cannon-1');
const verifySend = (b: string): boolean => checkSendText(b, 1, 'bench-cannon-1', SEND.inputJson) === null;
const HELLO = (b: string): boolean => b === '{"hello":"world"}';

function runSpec(ctx: ScenarioContext): Pick<CannonSpec, 'connections' | 'durationMs' | 'warmupMs' | 'signal'> {
  return { connections: CONNECTIONS, durationMs: dur(ctx, 10_000, 1000), warmupMs: dur(ctx, 2000, 300), signal: ctx.signal };
}

export const baseline = defineScenario({
  name: 'baseline',
  cpus: CPU_PLAN,
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

export const throughput = defineScenario({
  name: 'throughput',
  cpus: CPU_PLAN,
  description: 'asap.send max throughput, closed loop, autocannon, 32 connections, every reply validated; ratio to the bare-fastify baseline of the same run',
  run: async (ctx) => {
    const { url } = await startAgent(ctx);
    const f = new Figures();
    const r = await autocannonRun({ ...runSpec(ctx), label: 'asap.send', url: `${url}/asap`, method: 'POST', body: SEND_BODY, verify: verifySend });
    f.rate('send_max', f.add('asap.send', r.measurement), 'asap.send, validated replies per second at saturation');
    f.failures('send_failed', 'asap.send');
    f.notes.push(`${r.cutOff} requests in flight when autocannon stopped (not awaited, in no count)`);
    const b = ctx.results.get('baseline')?.metrics;
    const getM = b?.baseline_get_rps;
    const postM = b?.baseline_post_rps;
    if (getM && postM) {
      // Medians of the per-second rates: other work on this shared machine takes whole seconds away
      // from one run or the other, which moves the mean of a 10 s run but not its median second.
      const send = median(r.perSecond.length ? r.perSecond : [r.okPerSec]);
      const med = (m: typeof getM): number => median(m.samples?.length ? m.samples : [m.value]);
      f.ratio('send_vs_baseline', send / med(getM), 'median per-second asap.send rate ÷ median per-second bare fastify GET / rate, same run (goal ≥ 0.6)');
      f.ratio('send_vs_baseline_post', send / med(postM), 'the same against bare fastify POST / with the same request body');
      f.ratio('send_vs_baseline_mean', r.okPerSec / getM.value, 'whole-run mean rates instead of medians (asap.send ÷ bare GET)');
    } else {
      f.notes.push('send_vs_baseline needs the baseline scenario in the same run (--scenario baseline,throughput)');
    }
    return f.output(r.measurement);
  },
  // Issue 3's goal: ≥ 0.6 × bare fastify. The seed's floor: > 100 req/s.
  slo: ['send_vs_baseline >= 0.6', 'send_failed == 0', 'send_max_rps >= 100'],
});
