/**
 * zmq-bridge: the Lazy Pirate client, Paranoid Pirate broker and workers, and the direct REQ/REP
 * floor, measured end to end over loopback ZeroMQ. Targets run as child processes; the client runs
 * in the generator. Every reply is checked (status, numeric result, correlation_id). Each goal's
 * floor (direct REQ/REP, JSON) is measured in the same scenario, in alternating rounds.
 */
import { defineSuite } from '@wirebench/kit';
import { codec } from './scenarios/codec.js';
import { faults } from './scenarios/faults.js';
import { latency } from './scenarios/latency.js';
import { resources } from './scenarios/resources.js';
import { throughput } from './scenarios/throughput.js';

export default defineSuite({
  name: 'zmq-bridge',
  description: 'ZeroMQ bridge: Paranoid Pirate broker vs direct REQ/REP; latency by size and codec, throughput, codecs, resources, faults',
  transport: 'zeromq',
  libraries: ['zeromq', 'msgpackr'],
  scenarios: [latency, throughput, codec, resources, faults],
});
