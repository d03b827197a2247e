import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEARTBEAT_DEFAULTS } from './heartbeat-config.js';
import { unary } from './proto.js';
import { eventually, startMain, startPoolService, startWorker } from './test-helpers.js';
import { createToolClient } from './tool-client.js';

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
    poolAddress: pool.address, heartbeat: { ...HEARTBEAT_DEFAULTS, intervalMs: 30, timeoutMs: 100, maxMissed: 2 },
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
    ...process.env, SNAKEPIT_HEARTBEAT_CONFIG: JSON.stringify({ interval_ms: 50, timeout_ms: 100, max_missed_heartbeats: 2 }),
  });
  assert.match(main.words[0] ?? '', /^127\.0\.0\.1:\d+$/);
  const client = createToolClient(main.words[0]!);
  t.after(() => client.close());
  assert.equal((await client.execute('ping', {}, { sessionId: 'only' })).success, true);
  pool.server.forceShutdown();
  assert.equal(await main.exited, 0);
});
