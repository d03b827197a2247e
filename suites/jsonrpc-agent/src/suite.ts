/**
 * jsonrpc-agent: the ASAP agent (fastify 5, JSON-RPC 2.0) measured from outside, as a child
 * process, against a bare fastify route of the same run. Every reply is validated (status,
 * JSON-RPC shape, correlation id, echoed input). Categories follow the original's benchmark docs
 * (seeds 002/003); the measuring is the kit's: open loop and coordinated-omission corrected for
 * latency, autocannon only for closed-loop maximum throughput; same-run ratios come from the kit's
 * rounds plan. Order matters: half-max reads throughput.
 */
import { defineSuite } from '@wirebench/kit';
import { halfMax } from './scenarios/latency.js';
import { load, spike } from './scenarios/load.js';
import { micro } from './scenarios/micro.js';
import { pipeline } from './scenarios/pipeline.js';
import { soak } from './scenarios/soak.js';
import { stress } from './scenarios/stress.js';
import { baseline, throughput } from './scenarios/throughput.js';
import { sendCpu } from './scenarios/send-cpu.js';
import { transport } from './scenarios/transport.js';

export default defineSuite({
  name: 'jsonrpc-agent',
  description: 'ASAP agent over HTTP JSON-RPC: micro, baseline ceiling, throughput, latency goal, CPU per send, transport, pipeline, load, stress, spike, soak',
  transport: 'http',
  libraries: ['fastify', 'autocannon', 'fast-json-stringify', 'ajv'],
  scenarios: [micro, baseline, throughput, halfMax, sendCpu, transport, pipeline, load, stress, spike, soak],
});
