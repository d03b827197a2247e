import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { connectionTestDelayMs, connectRetryDelayMs } from './backoff.js';
import { isPoolError, PoolErrorCode } from './errors.js';
import { bindServer, createBridgeServer } from './grpc-server.js';
import { createPoolService } from './pool-service.js';
import { SessionStore } from './sessions.js';
import { heartbeatEnvJson, HEARTBEAT_DEFAULTS, parseHeartbeatEnv } from './heartbeat-config.js';
import { readReadyFile, readyFilePath, removeReadyFile, writeReadyFile } from './ready-file.js';
import { startPoolService, startWorker } from './test-helpers.js';
import { innerRpcTimeoutMs, timeoutProfile } from './timeouts.js';
import { createWorker } from './worker.js';

test('ready file: written to <file>.tmp and renamed; missing, empty or garbage content reads as not ready', async (t) => {
  const file = readyFilePath('w1');
  t.after(() => removeReadyFile(file));
  assert.match(file, /snakepit_ready_w1_\d+_[0-9a-f]+$/);
  assert.equal(await readReadyFile(file), null, 'missing');
  for (const garbage of ['', '   ', 'abc', '12a', '-5', '99999', '0', '1.5']) {
    await writeFile(file, garbage);
    assert.equal(await readReadyFile(file), null, JSON.stringify(garbage));
  }
  await writeFile(`${file}.tmp`, '4242');
  await removeReadyFile(file);
  assert.equal(await readReadyFile(file), null, 'a .tmp file alone is not ready');
  await writeReadyFile(file, 4242);
  assert.equal(await readReadyFile(file), 4242);
  assert.equal(await readFile(file, 'utf8'), '4242', 'decimal text, nothing else');
  assert.equal(existsSync(`${file}.tmp`), false, 'the .tmp was renamed, not copied');
});

test('backoff and timeout-budget arithmetic follow the contract', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((n) => connectionTestDelayMs(n)), [50, 100, 200, 400, 800, 1600, 2000]);
  assert.deepEqual([0, 1, 2, 3, 4].map((n) => connectRetryDelayMs(n, () => 0)), [50, 100, 200, 400, 500]);
  assert.equal(connectRetryDelayMs(4, () => 1), 625, 'up to 25 % jitter');
  assert.equal(innerRpcTimeoutMs(300_000), 298_800);
  assert.equal(innerRpcTimeoutMs(1000), 1, 'floor of 1');
  assert.equal(innerRpcTimeoutMs(Infinity), Infinity);
  assert.deepEqual(timeoutProfile('production_strict'), { defaultMs: 60_000, streamMs: 300_000, queueMs: 5_000 });
  assert.equal(timeoutProfile('batch').streamMs, Infinity);
  assert.throws(() => timeoutProfile('fast'), (e: unknown) => isPoolError(e, PoolErrorCode.BadOption));
});

test('SNAKEPIT_HEARTBEAT_CONFIG: defaults without it, camelCase accepted, bad values ignored, round trip', () => {
  assert.deepEqual(parseHeartbeatEnv(undefined), HEARTBEAT_DEFAULTS);
  assert.deepEqual(parseHeartbeatEnv('not json'), HEARTBEAT_DEFAULTS);
  const h = parseHeartbeatEnv('{"intervalMs":100,"timeout_ms":"250","max_missed_heartbeats":-1,"dependent":"no","unknown":1}');
  assert.equal(h.intervalMs, 100);
  assert.equal(h.timeoutMs, 250);
  assert.equal(h.maxMissed, 3, 'negative is refused');
  assert.equal(h.dependent, false);
  const custom = { ...HEARTBEAT_DEFAULTS, intervalMs: 7, maxMissed: 9, enabled: false };
  assert.deepEqual(parseHeartbeatEnv(heartbeatEnvJson(custom)), custom);
});

test('worker start-up: Pings the pool with connection_test first, then binds and writes its port to the ready file', async (t) => {
  const order: string[] = [];
  const file = readyFilePath('hs');
  t.after(() => removeReadyFile(file));
  const pool = await startPoolService(t, (h) => ({
    ...h,
    Ping: (call: any, cb: any) => {
      order.push(`ping:${call.request.message}:${existsSync(file)}`);
      (h.Ping as any)(call, cb);
    },
  }));
  const w = await startWorker(t, { poolAddress: pool.address, readyFile: file });
  assert.deepEqual(order, ['ping:connection_test:false']);
  assert.equal(await readReadyFile(file), w.port);
  assert.match(w.address, /^127\.0\.0\.1:\d+$/);
});

test('worker start-up: retries connection_test until the pool comes up; gives up with a coded error when it never does', async (t) => {
  const probe = await startPoolService(t);
  const address = probe.address;
  probe.server.forceShutdown();
  await assert.rejects(
    createWorker({ poolAddress: address, readyFile: null, connectionTest: { attempts: 3, initialDelayMs: 10, maxDelayMs: 20, timeoutMs: 200 } }),
    (e: unknown) => isPoolError(e, PoolErrorCode.ParentUnreachable) && /3 attempts/.test(e.message),
  );
  // The pool appears (on the same port) while the worker is backing off.
  const starting = createWorker({ poolAddress: address, readyFile: null, heartbeat: { ...HEARTBEAT_DEFAULTS, enabled: false }, connectionTest: { attempts: 40, initialDelayMs: 20, maxDelayMs: 50, timeoutMs: 200 } });
  await new Promise((r) => setTimeout(r, 150));
  const server = createBridgeServer(createPoolService(new SessionStore(), () => undefined));
  t.after(() => server.forceShutdown());
  await bindServer(server, '127.0.0.1', probe.port);
  const w = await starting;
  t.after(() => w.close(100));
  assert.ok(w.port > 0);
});
