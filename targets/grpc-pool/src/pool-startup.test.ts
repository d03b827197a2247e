import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPool } from './pool.js';
import type { PoolEvent } from './pool-events.js';
import type { StartupStrategy } from './pool-options.js';
import { isPoolError, PoolErrorCode } from './errors.js';
import { alive, eventually, HANDSHAKE_WORKER_COMMAND, nodeScript, startPool } from './test-helpers.js';

const at = (events: PoolEvent[], type: string, workerId: string) => {
  const e = events.find((x) => x.type === type && x.workerId === workerId);
  assert.ok(e, `${type} ${workerId}`);
  return e.at;
};

async function startWith(t: import('node:test').TestContext, startup: StartupStrategy, extra: { size?: number; startupBatchSize?: number; startupBatchDelayMs?: number } = {}) {
  const size = extra.size ?? 2;
  const pool = await startPool(t, { size, startup, command: HANDSHAKE_WORKER_COMMAND, ...extra });
  const events = pool.events();
  assert.equal(pool.stats().ready, size);
  assert.equal(pool.readyTimes().length, size);
  assert.ok(pool.readyTimes().every((ms) => ms > 0));
  assert.ok(pool.workers().every((w) => w.readyMs !== undefined && w.readyMs > 0));
  return events;
}

test('start-up concurrent: every worker is spawned before any is waited for', async (t) => {
  const ev = await startWith(t, 'concurrent');
  assert.ok(at(ev, 'worker:started', 'worker_2') < at(ev, 'worker:ready', 'worker_1'));
});

test('start-up sequential: a worker is spawned only once the one before is ready', async (t) => {
  const ev = await startWith(t, 'sequential');
  assert.ok(at(ev, 'worker:started', 'worker_2') >= at(ev, 'worker:ready', 'worker_1'));
});

test('start-up batch: batches start concurrently, the next one batch-delay after the last is ready', async (t) => {
  const ev = await startWith(t, 'batch', { size: 3, startupBatchSize: 2, startupBatchDelayMs: 300 });
  assert.ok(at(ev, 'worker:started', 'worker_2') < at(ev, 'worker:ready', 'worker_1'), 'one batch starts together');
  const lastOfBatch = Math.max(at(ev, 'worker:ready', 'worker_1'), at(ev, 'worker:ready', 'worker_2'));
  assert.ok(at(ev, 'worker:started', 'worker_3') - lastOfBatch >= 299, 'the delay between batches');
});

test('a garbage ready file is "not ready yet": the pool waits for the real port', async (t) => {
  // Writes junk (not atomically) first, then runs the handshake worker, which writes the real port.
  const [node, ...rest] = HANDSHAKE_WORKER_COMMAND;
  const script = `require('fs').writeFileSync(process.env.SNAKEPIT_READY_FILE, 'junk\\n');
    setTimeout(() => { const c = require('child_process').spawn(${JSON.stringify(node)}, ${JSON.stringify(rest)}, { stdio: 'inherit' });
      c.on('exit', (code) => process.exit(code ?? 0)); process.on('SIGTERM', () => c.kill('SIGTERM')); }, 200);`;
  const pool = await startPool(t, { size: 1, command: nodeScript(script) });
  assert.equal(pool.stats().ready, 1);
  assert.ok(pool.workers()[0]!.port! > 0);
});

test('a worker that never becomes ready: start-up timeout error, and no process is left behind', async () => {
  const pids: number[] = [];
  await assert.rejects(
    createPool({ size: 1, heartbeat: { enabled: false }, readyTimeoutMs: 400, command: nodeScript('setInterval(() => {}, 1000)') }),
    (e: unknown) => {
      assert.ok(isPoolError(e, PoolErrorCode.StartupTimeout), String(e));
      assert.match(e.message, /worker worker_1 \(pid \d+/);
      pids.push(e.details.pid as number);
      return true;
    },
  );
  assert.equal(alive(pids[0]!), false, 'killed, not orphaned');
});

test('a worker that exits during start-up with a status other than 0/143: a start-up error naming it; 0 means shutdown', async () => {
  await assert.rejects(
    createPool({ size: 2, startup: 'concurrent', heartbeat: { enabled: false }, command: nodeScript('console.error("no adapter"); process.exit(3)') }),
    (e: unknown) => isPoolError(e, PoolErrorCode.WorkerStartup) && /worker worker_\d .*exited with status 3 during start-up.*no adapter/s.test(e.message),
  );
  await assert.rejects(
    createPool({ size: 1, heartbeat: { enabled: false }, command: nodeScript('process.exit(0)') }),
    (e: unknown) => isPoolError(e, PoolErrorCode.WorkerShutdown),
  );
  await assert.rejects(
    createPool({ size: 1, heartbeat: { enabled: false }, command: ['/nonexistent/worker'] }),
    (e: unknown) => isPoolError(e, PoolErrorCode.WorkerStartup) && e.message.includes('/nonexistent/worker'),
  );
});

test('invalid pool options are refused with the contract reason', async () => {
  await assert.rejects(createPool({ workerTtlMs: -1 }), (e: unknown) => isPoolError(e, PoolErrorCode.BadOption) && e.reason === 'invalid_worker_ttl');
  await assert.rejects(createPool({ workerMaxRequests: 0 }), (e: unknown) => isPoolError(e, PoolErrorCode.BadOption) && e.reason === 'invalid_worker_max_requests');
  await assert.rejects(createPool({ startup: 'eager' as StartupStrategy }), (e: unknown) => isPoolError(e, PoolErrorCode.BadOption));
});

test('12 workers started at once and recycled leave no listener behind on the pool\'s signal (no MaxListenersExceededWarning)', async (t) => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  t.after(() => process.off('warning', onWarning));
  const pool = await startPool(t, { size: 12, startup: 'concurrent', command: HANDSHAKE_WORKER_COMMAND, workerMaxRequests: 1 });
  // One request per worker: each is recycled (drained, stopped, started again) and the pool stays whole.
  await Promise.allSettled(Array.from({ length: 12 }, () => pool.execute('ping', { message: 'x' })));
  await eventually(() => pool.stats().ready === 12 && pool.events().filter((e) => e.type === 'worker:ready').length >= 24, 30_000, 'every worker recycled and ready again');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(warnings.filter((w) => w.includes('MaxListeners')), []);
});
