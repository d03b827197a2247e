/**
 * nats-bus: the Rosey-Robot database bus (targets/nats-bus) measured from publish to SQLite commit
 * through the service's commit signal, beside bare NATS floors measured in the same run (rounds).
 * nats-server, the DatabaseService and the echo floor run as targets; the bot side (nats.js) runs
 * in the generator.
 */
import { defineSuite } from '@wirebench/kit';
import { burst } from './scenarios/burst.js';
import { capacity } from './scenarios/capacity.js';
import { cpuOverhead } from './scenarios/cpu-overhead.js';
import { faults } from './scenarios/faults.js';
import { latency } from './scenarios/latency.js';
import { mixed } from './scenarios/mixed.js';
import { soak } from './scenarios/soak.js';
import { seed } from './scenarios/seed.js';
import { throughput } from './scenarios/throughput.js';

export default defineSuite({
  name: 'nats-bus',
  description: 'NATS database bus: publish → committed latency and throughput vs bare NATS floors, max sustainable rate, requests, burst, faults, CPU vs direct writes, mixed, soak',
  transport: 'nats',
  libraries: ['@nats-io/transport-node', '@nats-io/jetstream', 'better-sqlite3'],
  scenarios: [seed, latency, throughput, capacity, burst, faults, cpuOverhead, mixed, soak],
});
