/**
 * Maximum closed-loop throughput with autocannon: the bare fastify route (the ceiling) and
 * asap.send on the agent, same connections, same duration, same generator. Latency is not taken
 * from autocannon (whole milliseconds); see half-max and transport.
 */
import { defineScenario, median, pick as dur, type Metric, type ScenarioContext } from '@wirebench/kit';
import { cannon, cannonInvalid, rpsMetric, type CannonRun } from '../cannon.js';
import { startAgent, startBaseline } from '../targets.js';
import { checkSendText, inputOfSize, taskTemplate } from '../wire.js';

/** Enough connections to keep one agent core busy; more only adds generator work on two cores. */
const CONNECTIONS = 32;

// autocannon sends one fixed body, so one fixed rpc id and envelope id: every reply must echo them.
const SEND = taskTemplate(inputOfSize(0));
const SEND_BODY = SEND.request(1, 'bench-cannon-1');
const verifySend = (b: string): boolean => checkSendText(b, 1, 'bench-cannon-1', SEND.inputJson) === null;

function runSpec(ctx: ScenarioContext) {
  return { connections: CONNECTIONS, durationS: dur(ctx, 10, 1), warmupS: dur(ctx, 2, 0.3), signal: ctx.signal };
}

function failuresNote(label: string, r: CannonRun): string[] {
  return r.failed ? [`${label}: ${r.failed} failed replies ${JSON.stringify(r.failures)}`] : [];
}

export const baseline = defineScenario({
  name: 'baseline',
  description: 'bare fastify 5 route (no plugins) answering {"hello":"world"}: the ceiling, closed loop, autocannon, 32 connections — GET, and POST with the asap.send request body',
  run: async (ctx) => {
    const { url } = await startBaseline(ctx);
    const get = await cannon({ ...runSpec(ctx), url: `${url}/`, method: 'GET', verify: (b) => b === '{"hello":"world"}' });
    // Same bytes as the agent's asap.send: fastify parses the JSON body, the route ignores it.
    const post = await cannon({ ...runSpec(ctx), url: `${url}/`, method: 'POST', body: SEND_BODY, verify: (b) => b === '{"hello":"world"}' });
    return {
      metrics: {
        baseline_get_rps: rpsMetric(get, 'bare fastify GET /, successful replies per second (samples: per second)'),
        baseline_post_rps: rpsMetric(post, 'bare fastify POST / with the asap.send request body (parsed, ignored)'),
        baseline_failed: { value: get.failed + post.failed, unit: 'ops', better: 'lower', note: 'non-2xx + wrong body + connection errors + timeouts' },
        generator_busy: { value: Math.round(Math.max(get.generatorBusy, post.generatorBusy) * 100) / 100, unit: 'ratio', better: 'none', note: 'generator event-loop utilisation during autocannon (≥ 0.95: generator-bound)' },
      },
      notes: [...failuresNote('GET', get), ...failuresNote('POST', post)],
      invalidReasons: [...cannonInvalid('GET', get), ...cannonInvalid('POST', post)],
      load: { model: 'closed', params: { tool: 'autocannon', connections: CONNECTIONS, durationS: runSpec(ctx).durationS } },
    };
  },
  slo: ['baseline_failed == 0', 'baseline_get_rps >= 1000'],
});

export const throughput = defineScenario({
  name: 'throughput',
  description: 'asap.send max throughput, closed loop, autocannon, 32 connections, every reply validated; ratio to the bare-fastify baseline of the same run',
  run: async (ctx) => {
    const { url } = await startAgent(ctx);
    const r = await cannon({ ...runSpec(ctx), url: `${url}/asap`, method: 'POST', body: SEND_BODY, verify: verifySend });
    const metrics: Record<string, Metric> = {
      send_max_rps: rpsMetric(r, 'asap.send, validated replies per second at saturation (samples: per second)'),
      send_failed: { value: r.failed, unit: 'ops', better: 'lower', note: 'non-2xx + invalid replies + connection errors + timeouts' },
      generator_busy: { value: Math.round(r.generatorBusy * 100) / 100, unit: 'ratio', better: 'none', note: 'generator event-loop utilisation during autocannon' },
    };
    const notes = failuresNote('asap.send', r);
    const b = ctx.results.get('baseline')?.metrics;
    const getM = b?.baseline_get_rps;
    const postM = b?.baseline_post_rps;
    const r3 = (x: number): number => Math.round(x * 1000) / 1000;
    if (getM && postM) {
      // Medians of the per-second rates: other work on this shared machine takes whole seconds away
      // from one run or the other, which moves the mean of a 10 s run but not its median second.
      const send = median(r.perSecond.length ? r.perSecond : [r.okPerSec]);
      metrics.send_vs_baseline = { value: r3(send / median(getM.samples?.length ? getM.samples : [getM.value])), unit: 'x', better: 'higher', note: 'median per-second asap.send rate ÷ median per-second bare fastify GET / rate, same run (goal ≥ 0.6)' };
      metrics.send_vs_baseline_post = { value: r3(send / median(postM.samples?.length ? postM.samples : [postM.value])), unit: 'x', better: 'higher', note: 'the same against bare fastify POST / with the same request body' };
      metrics.send_vs_baseline_mean = { value: r3(r.okPerSec / getM.value), unit: 'x', better: 'higher', note: 'whole-run mean rates instead of medians (asap.send ÷ bare GET)' };
    } else {
      notes.push('send_vs_baseline needs the baseline scenario in the same run (--scenario baseline,throughput)');
    }
    return { metrics, notes, invalidReasons: cannonInvalid('asap.send', r), load: { model: 'closed', params: { tool: 'autocannon', connections: CONNECTIONS, durationS: runSpec(ctx).durationS } } };
  },
  // Issue 3's goal: ≥ 0.6 × bare fastify. The seed's floor: > 100 req/s.
  slo: ['send_vs_baseline >= 0.6', 'send_failed == 0', 'send_max_rps >= 100'],
});
