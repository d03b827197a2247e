import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { AgentError, ModuleClient, buildAgent, createModuleServer, startModuleProcess } from './index.js';
import type { ModuleProcess } from './index.js';
import { envelope, post, request } from './test-helpers.js';

let proc: ModuleProcess;
before(async () => {
  proc = await startModuleProcess();
});
after(() => proc?.stop());

test('the module runs in its own process and answers over TCP', async () => {
  assert.notEqual(proc.pid, process.pid);
  assert.match(proc.url, /^tcp:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(await proc.client.call('echo', { a: [1, 2] }), { a: [1, 2] });
  await assert.rejects(proc.client.call('fail'), (e: unknown) => e instanceof AgentError && e.code === 'WB_ERR_MODULE_CALL_FAILED');
  await assert.rejects(proc.client.call('sleep', { ms: 500 }, 50), (e: unknown) => e instanceof AgentError && e.code === 'WB_ERR_MODULE_TIMEOUT');
  assert.equal(proc.client.pendingCalls, 0);
});

test('skill module.echo goes through the module; plain echo stays local', async () => {
  const app = buildAgent({ rateLimit: false, module: proc.client });
  try {
    const input = { n: 1, s: 'é' };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(app, request(envelope({ payload: { conversation_id: 'c', skill_id: 'module.echo', input: { ...input, i } } }), i)),
      ),
    );
    results.forEach((r, i) => assert.deepEqual(r.json.result.envelope.payload.result.echoed, { ...input, i }));
  } finally {
    await app.close();
  }
  const noModule = buildAgent({ rateLimit: false });
  try {
    const r = await post(noModule, request(envelope({ payload: { conversation_id: 'c', skill_id: 'module.echo', input: {} } })));
    assert.equal(r.json.error.code, -32603);
  } finally {
    await noModule.close();
  }
});

test('a module that goes away turns calls into -32603, not a crash', async () => {
  const server = createModuleServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = await ModuleClient.connect((server.address() as AddressInfo).port);
  const app = buildAgent({ rateLimit: false, module: client });
  try {
    await new Promise<void>((r) => server.close(() => r()));
    await new Promise((r) => setTimeout(r, 50));
    const r = await post(app, request(envelope({ payload: { conversation_id: 'c', skill_id: 'module.echo', input: {} } })));
    assert.equal(r.json.error.code, -32603);
    assert.equal((await post(app, request())).status, 200);
  } finally {
    await app.close();
    await client.close();
  }
});
