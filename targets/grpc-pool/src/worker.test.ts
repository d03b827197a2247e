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
import { startPoolService, startWorker, eventually, startMain } from './test-helpers.js';
import { innerRpcTimeoutMs, timeoutProfile } from './timeouts.js';
import { createWorker } from './worker.js';
import { unary } from './proto.js';
import { createToolClient } from './tool-client.js';

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

/** Five calls in session s1 and one in s2 on a worker in the given mode. */
async function sixCalls(t: import('node:test').TestContext, sessionMode: 'faithful' | 'cached') {
  const pool = await startPoolService(t);
  const w = await startWorker(t, { poolAddress: pool.address, sessionMode });
  const client = createToolClient(w.address);
  t.after(() => client.close());
  for (let i = 0; i < 5; i++) assert.equal((await client.execute('ping', {}, { sessionId: 's1' })).success, true);
  assert.equal((await client.execute('ping', {}, { sessionId: 's2' })).success, true);
  return { pool, stats: w.stats() };
}

test('faithful mode: every ExecuteTool calls InitializeSession on the pool and builds a new adapter; RegisterTools once per session', async (t) => {
  const { pool, stats } = await sixCalls(t, 'faithful');
  assert.equal(pool.calls.InitializeSession, 6);
  assert.equal(pool.calls.RegisterTools, 2);
  assert.equal(stats.adaptersBuilt, 6);
  assert.equal(pool.store.get('s1')?.tools.has('compute'), true, 'the pool knows the session’s tools');
});

test('cached mode: InitializeSession and the adapter once per session only', async (t) => {
  const { pool, stats } = await sixCalls(t, 'cached');
  assert.equal(pool.calls.InitializeSession, 2);
  assert.equal(pool.calls.RegisterTools, 2);
  assert.equal(stats.adaptersBuilt, 1);
});

test('the worker proxies session calls and Heartbeat to the pool; pool errors reach the caller as UNKNOWN', async (t) => {
  const pool = await startPoolService(t);
  const w = await startWorker(t, { poolAddress: pool.address });
  const client = createToolClient(w.address);
  t.after(() => client.close());
  assert.equal((await unary<{ session_valid: boolean }>(client.raw, 'Heartbeat', { session_id: 'nobody' })).session_valid, false);
  await unary(client.raw, 'InitializeSession', { session_id: 'a' });
  assert.equal((await unary<{ session_valid: boolean }>(client.raw, 'Heartbeat', { session_id: 'a' })).session_valid, true);
  assert.equal(pool.calls.Heartbeat, 2);
  await assert.rejects(unary(client.raw, 'GetSession', { session_id: 'missing' }), (e: any) => e.code === 2 /* UNKNOWN */ && /Session not found/.test(e.details));
  await unary(client.raw, 'CleanupSession', { session_id: 'a' });
  assert.equal(pool.store.get('a'), undefined);
});

test('worker heartbeats: each session it sees heartbeats to the pool; a dependent worker that loses the pool shuts itself down', async (t) => {
  const pool = await startPoolService(t);
  let threshold: { sessionId: string; missed: number } | undefined;
  const w = await startWorker(t, {
    poolAddress: pool.address, heartbeat: { ...HEARTBEAT_DEFAULTS, intervalMs: 30, timeoutMs: 1000, maxMissed: 2 },
    onHeartbeatThreshold: (sessionId, missed) => (threshold = { sessionId, missed }),
  });
  const client = createToolClient(w.address);
  t.after(() => client.close());
  await client.execute('ping', {}, { sessionId: 'hb' });
  await eventually(() => (pool.calls.Heartbeat ?? 0) >= 3, 10_000, 'heartbeats to the pool');
  assert.equal(threshold, undefined);
  pool.server.forceShutdown();
  await eventually(() => threshold, 10_000, 'the dependent threshold');
  assert.deepEqual(threshold, { sessionId: 'hb', missed: 2 });
});

test('worker-main: a dependent worker whose pool goes away SIGTERMs itself and exits 0', { timeout: 60_000 }, async (t) => {
  const pool = await startPoolService(t);
  const main = await startMain(t, './worker-main.ts', ['--elixir-address', pool.address, '--port', '0'], {
    ...process.env, SNAKEPIT_HEARTBEAT_CONFIG: JSON.stringify({ interval_ms: 50, timeout_ms: 1000, max_missed_heartbeats: 2 }),
  });
  assert.match(main.words[0] ?? '', /^127\.0\.0\.1:\d+$/);
  const client = createToolClient(main.words[0]!);
  t.after(() => client.close());
  assert.equal((await client.execute('ping', {}, { sessionId: 'only' })).success, true);
  pool.server.forceShutdown();
  assert.equal(await main.exited, 0);
});
