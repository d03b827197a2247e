import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { buildFailureHint, durationSeconds, interpolate, runArgs, startOrder } from './compose-run.js';

test('runArgs: the budget, health and every key compose.yaml uses become run flags; podman keeps its default ulimits and a VOLUME tmpfs its owner', () => {
  const args = runArgs('agent', {
    image: 'wirebench/jsonrpc-agent:test', container_name: 'wb-agent', network_mode: 'host', init: true, cpuset: '1', cpus: 1.0,
    mem_limit: '512m', memswap_limit: '512m', stop_grace_period: '10s', ulimits: { nofile: { soft: 16384, hard: 16384 } },
    environment: { PORT: '8000', FLAG: null }, tmpfs: ['/data:mode=1777'], profiles: ['x'], depends_on: ['nats'],
    healthcheck: { test: ['CMD-SHELL', 'node /app/health.mjs "$HOST:$PORT"'], timeout: '3s', retries: 3 },
  }, { healthTimer: false, defaultUlimits: ['nofile=1024:1024', 'nproc=4096:4096'], podman: true });
  assert.deepEqual(args, [
    'run', '-d', '--name', 'wb-agent', '--network', 'host', '--init', '--cpuset-cpus', '1', '--cpus', '1', '--memory', '512m', '--memory-swap', '512m',
    '--stop-timeout', '10', '--ulimit', 'nofile=16384:16384', '--ulimit', 'nproc=4096:4096', '-e', 'PORT=8000', '-e', 'FLAG', '--tmpfs', '/data:mode=1777,U',
    '--health-cmd', 'node /app/health.mjs "$HOST:$PORT"', '--health-interval', 'disable', '--health-timeout', '3s', '--health-retries', '3',
    'wirebench/jsonrpc-agent:test',
  ]);
});

test('runArgs: a key it cannot translate is an error naming it, never dropped', () => {
  assert.throws(() => runArgs('x', { image: 'i', cap_add: ['NET_ADMIN'] }, { healthTimer: true }), /compose service x: cap_add not supported/);
});

test('interpolate, durations and start order: compose\'s rules', () => {
  assert.equal(interpolate('${A:-a}-${B-b}-$C-$$', { A: '', B: '', C: 'c' }), 'a--c-$');
  assert.equal(durationSeconds('1m30s'), 90);
  assert.deepEqual(startOrder({ dir: '.', services: { bus: { image: 'b', depends_on: ['nats'] }, nats: { image: 'n' } } }, ['bus']), ['nats', 'bus']);
});

test("a failed build of an image with a node-headers stage says to build it with images.mjs; other images keep the code's hint", () => {
  const docker = (p: string) => fileURLToPath(new URL(`../../../../docker/${p}`, import.meta.url));
  assert.match(buildFailureHint(docker('nats-bus/Dockerfile')) ?? '', /node docker\/images\.mjs build: nats-bus\/Dockerfile takes Node's headers/);
  assert.equal(buildFailureHint(docker('grpc-pool/Dockerfile')), null);
  assert.equal(buildFailureHint(docker('no-such/Dockerfile')), null);
});
