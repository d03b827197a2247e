import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { BusError } from './errors.js';
import { findNatsServer, natsServerCommand, startNatsServer } from './nats-server.js';
import { natsServer, tempDir } from './test-helpers.js';

test('startNatsServer: loopback, JetStream in a temp store, /varz answers; stop ends it and removes the temp folders', { timeout: 20_000 }, async (t) => {
  const server = await startNatsServer({ jetstream: true });
  t.after(() => server.stop());
  assert.match(server.url, /^nats:\/\/127\.0\.0\.1:\d+$/);
  const varz = await server.varz();
  assert.equal(varz.port, server.port);
  assert.ok(varz.jetstream && typeof varz.jetstream === 'object', 'jetstream section in /varz');
  assert.ok(server.storeDir && existsSync(server.storeDir));
  const nc = await connect({ servers: server.url });
  assert.equal(nc.info?.jetstream, true);
  await nc.close();
  await server.stop();
  assert.equal(existsSync(server.storeDir), false);
  await assert.rejects(connect({ servers: server.url, reconnect: false, timeout: 1000 }));
});

test('startNatsServer: restart keeps the port and the store; a given storeDir is kept after stop', { timeout: 20_000 }, async (t) => {
  const storeDir = tempDir(t);
  const server = await natsServer(t, { jetstream: true, storeDir });
  const { port, pid } = server;
  await server.restart();
  assert.equal(server.port, port);
  assert.notEqual(server.pid, pid);
  const nc = await connect({ servers: server.url });
  await nc.close();
  await server.stop();
  assert.ok(existsSync(storeDir));
});

test('without nats-server the helper fails at once with one coded line that says how to install it', async () => {
  const started = Date.now();
  await assert.rejects(startNatsServer({ jetstream: true, command: 'nats-server-not-installed' }), (err: unknown) => {
    assert.ok(err instanceof BusError);
    assert.equal(err.code, 'WB_ERR_NATS_SERVER_MISSING');
    assert.match(err.message, /apt-get install -y nats-server/);
    assert.doesNotMatch(err.message, /\n/);
    assert.match(err.hint, /apt-get install -y nats-server/);
    return true;
  });
  assert.ok(Date.now() - started < 2000, 'no waiting');
  assert.throws(() => findNatsServer('/nonexistent/nats-server'), { code: 'WB_ERR_NATS_SERVER_MISSING' });
});

test('natsServerCommand: the command line a harness runs itself', () => {
  const c = natsServerCommand({ port: 4333, monitorPort: 8333, jetstream: true, storeDir: '/tmp/js', command: '/usr/sbin/nats-server' });
  assert.deepEqual(c, { command: '/usr/sbin/nats-server', args: ['-a', '127.0.0.1', '-p', '4333', '-m', '8333', '-js', '-sd', '/tmp/js'] });
  assert.throws(() => natsServerCommand({ port: 1, jetstream: true, command: 'x' }), { code: 'WB_ERR_BUS_BAD_OPTION' });
});

test('a nats-server that cannot start (port taken) is reported with its own log line, not waited for', { timeout: 20_000 }, async (t) => {
  const first = await natsServer(t, { jetstream: false });
  await assert.rejects(startNatsServer({ port: first.port, startTimeoutMs: 8000 }), (err: unknown) => {
    assert.ok(err instanceof BusError);
    assert.equal(err.code, 'WB_ERR_NATS_SERVER_START');
    return true;
  });
});
