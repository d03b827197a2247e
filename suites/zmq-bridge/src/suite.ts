/**
 * zmq-bridge: the Lazy Pirate client, Paranoid Pirate broker and workers, and the direct REQ/REP
 * floor, measured end to end over loopback ZeroMQ. Targets run as child processes; the client runs
 * in the generator. Every reply is checked (status, numeric result, correlation_id).
 * `direct` runs first: latency and throughput take their ratios from it (same run).
 */
import { defineSuite } from '@wirebench/kit';
import { codec } from './scenarios/codec.js';
import { direct } from './scenarios/direct.js';
import { faults } from './scenarios/faults.js';
import { latency } from './scenarios/latency.js';
import { resources } from './scenarios/resources.js';
import { throughput } from './scenarios/throughput.js';

export default defineSuite({
  name: 'zmq-bridge',
  description: 'ZeroMQ bridge: direct REQ/REP vs Paranoid Pirate broker; latency by size and codec, throughput, resources, faults',
  transport: 'zeromq',
  libraries: ['zeromq', 'msgpackr'],
  scenarios: [direct, latency, throughput, codec, resources, faults],
});
