/**
 * grpc-pool: the Snakepit-style gRPC worker pool (front BridgeService endpoint, node workers
 * under supervision) measured end to end from a grpc-js client in the generator, every reply
 * checked. Each goal's floor — bare node + grpc-js processes for start-up, one bare grpc-js
 * server for calls — is measured in the same scenario, in rotating rounds.
 */
import { defineSuite } from '@wirebench/kit';
import { latency } from './scenarios/latency.js';
import { startup } from './scenarios/startup.js';
import { throughput } from './scenarios/throughput.js';
import { faults } from './scenarios/faults.js';
import { streaming } from './scenarios/streaming.js';
import { binary } from './scenarios/binary.js';
import { directVsGrpc } from './scenarios/direct-vs-grpc.js';
import { affinity } from './scenarios/affinity.js';
import { resources } from './scenarios/resources.js';

export default defineSuite({
  name: 'grpc-pool',
  description: 'gRPC worker pool: start-up vs bare processes, throughput and latency vs a bare server, faults, streaming, binary vs JSON payloads, direct (stdio) vs gRPC, affinity, resources per worker',
  transport: 'grpc',
  libraries: ['@grpc/grpc-js', '@grpc/proto-loader'],
  scenarios: [startup, throughput, latency, faults, streaming, binary, directVsGrpc, affinity, resources],
});
