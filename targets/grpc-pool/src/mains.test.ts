import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { createBareServer } from './bare.js';
import { readReadyFile, readyFilePath, removeReadyFile } from './ready-file.js';
import { startMain, alive } from './test-helpers.js';
import { createToolClient } from './tool-client.js';
import type { PoolEvent } from './pool-events.js';

test('bare floor server: unary ExecuteTool ping with the worker tool’s reply, no pool behind it', async (t) => {
  const server = await createBareServer();
  t.after(() => server.close(100));
  const client = createToolClient(server.address);
  t.after(() => client.close());
  const r = await client.execute('ping', { message: 'floor' });
  assert.equal(r.success, true);
  assert.equal((r.result as { message: string }).message, 'floor');
  assert.match((r.result as { timestamp: string }).timestamp, /^\d+(\.\d+)?$/);
  const other = await client.execute('echo', {});
  assert.equal(other.success, false);
  assert.equal(other.error?.type, 'ValueError');
  assert.equal(server.stats().calls, 2);
});

test('bare-main prints READY bare <address> and serves; SIGTERM exits 0', { timeout: 60_000 }, async (t) => {
  const main = await startMain(t, './bare-main.ts', ['--port', '0']);
  const client = createToolClient(main.words[0]!);
  t.after(() => client.close());
  assert.equal((await client.execute('ping', {})).success, true);
  main.child.kill('SIGTERM');
  assert.equal(await main.exited, 0);
});

test('bare-process-main: loads grpc-js, binds, does the ready-file handshake, prints READY', { timeout: 60_000 }, async (t) => {
  const file = readyFilePath('bare');
  t.after(() => removeReadyFile(file));
  const main = await startMain(t, './bare-process-main.ts', [], { ...process.env, SNAKEPIT_READY_FILE: file });
  const port = Number(main.words[0]!.split(':')[1]);
  assert.equal(await readReadyFile(file), port);
  assert.equal(existsSync(`${file}.tmp`), false);
  main.child.kill('SIGTERM');
  assert.equal(await main.exited, 0);
});

test('pool-main: READY pool <address> once the workers are ready, EVENT lines, front endpoint, SIGTERM → graceful exit 0', { timeout: 90_000 }, async (t) => {
  const main = await startMain(t, './pool-main.ts', ['--port', '0', '--size', '1', '--events', 'on', '--heartbeat', 'off', '--session-mode', 'cached']);
  assert.match(main.words[0] ?? '', /^127\.0\.0\.1:\d+$/);
  const events = main.stdout().split('\n').filter((l) => l.startsWith('EVENT ')).map((l) => JSON.parse(l.slice(6)) as PoolEvent);
  const ready = events.filter((e) => e.type === 'worker:ready');
  assert.equal(ready.length, 1);
  assert.ok(ready.every((e) => e.type === 'worker:ready' && e.readyMs > 0));

  const client = createToolClient(main.words[0]!);
  t.after(() => client.close());
  const r = await client.execute('compute', { op: 'norm', data: [3, 4] });
  assert.equal(r.result, 5);
  const slow = client.execute('sleep', { ms: 500 });
  await new Promise((res) => setTimeout(res, 150));
  main.child.kill('SIGTERM');
  assert.equal((await slow).success, true, 'the running call finished during shutdown');
  assert.equal(await main.exited, 0);
  for (const e of ready) if (e.type === 'worker:ready') assert.equal(alive(e.pid), false, `worker pid ${e.pid} stopped`);
});

test('pool-main: a bad flag is one coded line and exit 1', { timeout: 60_000 }, async (t) => {
  await assert.rejects(startMain(t, './pool-main.ts', ['--startup', 'eager', '--port', '0']), /pool failed to start: WB_ERR_POOL_BAD_OPTION: startup must be/);
});
