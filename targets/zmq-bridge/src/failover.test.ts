import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBroker } from './broker.js';
import { createClient } from './client.js';
import { eventually, LOOPBACK_ANY, startMain } from './test-helpers.js';
import { createWorker } from './worker.js';

test('a worker killed (kill -9) mid-request: the retry is answered by another worker', async (t) => {
  // Generous expiry (1 s) so a busy machine cannot expire and requeue A behind B before the request.
  const broker = await createBroker({ frontend: LOOPBACK_ANY, backend: LOOPBACK_ANY, heartbeatIntervalMs: 200, liveness: 5 });
  t.after(() => broker.close());
  const common = ['--endpoint', broker.backend, '--heartbeat-ms', '200', '--liveness', '5'];
  // A is first in the LRU queue and hangs on every request, so the first request is in A's hands when it dies.
  const a = await startMain(t, './worker-main.ts', [...common, '--server-id', 'A', '--stall-ms', '20000']);
  await eventually(() => broker.stats().workersIdle === 1, 5000, 'A queued');
  const b = await startMain(t, './worker-main.ts', [...common, '--server-id', 'B']);
  await eventually(() => broker.stats().workersIdle === 2, 5000, 'B queued');
  assert.deepEqual(a.endpoints, [broker.backend], 'READY worker <backend>');

  const client = createClient({ endpoint: broker.frontend, timeoutMs: 1000, retries: 3 });
  t.after(() => client.close());
  const pending = client.compute('sum', [1, 2, 3, 4]);
  await eventually(() => broker.stats().requestsForwarded === 1, 5000, 'request handed to A');
  a.child.kill('SIGKILL');
  assert.equal(await a.exited, 'SIGKILL');

  const r = await pending;
  assert.equal(r.reply.result, 10);
  assert.equal(r.reply.server_id, 'B');
  assert.equal(r.retries, 1);
  assert.deepEqual([client.counters().abandoned, client.counters().ok], [0, 1]);

  b.child.kill('SIGTERM');
  assert.equal(await b.exited, 0, 'SIGTERM closes the worker and exits 0');
});

test('broker-main and direct-main print READY lines with real ports and exit 0 on SIGTERM', async (t) => {
  const broker = await startMain(t, './broker-main.ts', ['--frontend', LOOPBACK_ANY, '--backend', LOOPBACK_ANY, '--heartbeat-ms', '100']);
  assert.equal(broker.endpoints.length, 2);
  for (const e of broker.endpoints) assert.match(e, /^tcp:\/\/127\.0\.0\.1:[1-9]\d*$/);
  const direct = await startMain(t, './direct-main.ts', ['--endpoint', LOOPBACK_ANY]);
  assert.match(direct.endpoints[0] ?? '', /^tcp:\/\/127\.0\.0\.1:[1-9]\d*$/);

  const client = createClient({ endpoint: direct.endpoints[0], timeoutMs: 3000 });
  t.after(() => client.close());
  assert.equal((await client.compute('norm', [3, 4])).reply.result, 5);

  broker.child.kill('SIGTERM');
  direct.child.kill('SIGINT');
  assert.equal(await broker.exited, 0);
  assert.equal(await direct.exited, 0);
});

test('a broker restart: workers come back and the client retry is served', async (t) => {
  const first = await createBroker({ frontend: LOOPBACK_ANY, backend: LOOPBACK_ANY, heartbeatIntervalMs: 100 });
  const { frontend, backend } = first;
  let second: Awaited<ReturnType<typeof createBroker>> | undefined;
  t.after(() => {
    first.close();
    second?.close();
  });
  const worker = createWorker({ endpoint: backend, heartbeatIntervalMs: 100, reconnectInitialMs: 100 });
  t.after(() => worker.close());
  const client = createClient({ endpoint: frontend, timeoutMs: 500, retries: 10 });
  t.after(() => client.close());
  assert.equal((await client.compute('sum', [1])).reply.result, 1);

  first.close();
  const pending = client.compute('sum', [2, 2]);
  // Down for longer than the client's 500 ms timeout: ZeroMQ would otherwise queue the first send
  // and deliver it to the new broker on reconnect, and no retry would be needed (flaky).
  await new Promise((r) => setTimeout(r, 800));
  second = await createBroker({ frontend, backend, heartbeatIntervalMs: 100 });
  const r = await pending;
  assert.equal(r.reply.result, 4);
  assert.ok(r.retries >= 1, 'the request sent to the dead broker was retried');
  assert.equal(client.counters().abandoned, 0);
});
