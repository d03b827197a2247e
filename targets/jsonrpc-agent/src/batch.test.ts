import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { buildAgent } from './index.js';
import { envelope, notification, post, request } from './test-helpers.js';

const app = buildAgent({ rateLimit: false });
after(() => app.close());

async function successCount(): Promise<number> {
  const r = await app.inject({ url: '/asap/metrics' });
  const m = /^asap_requests_success_total\{payload_type="task\.request"\} (\d+)/m.exec(r.body);
  return m ? Number(m[1]) : 0;
}

test('batch of valid requests → array of responses with matching ids', async () => {
  const r = await post(app, [request(envelope(), 1), request(envelope(), 'two'), request(envelope(), 3.5)]);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.map((x: any) => x.id), [1, 'two', 3.5]);
  for (const x of r.json) assert.equal(x.result.envelope.payload_type, 'task.response');
});

test('mixed valid/invalid batch → each entry answered in order', async () => {
  const r = await post(app, [request(envelope(), 1), 42, { ...request(envelope(), 2), method: 'nope' }, request(envelope({ sender: 'x' }), 3)]);
  assert.equal(r.status, 200);
  assert.equal(r.json.length, 4);
  assert.ok(r.json[0].result);
  assert.equal(r.json[1].error.code, -32600);
  assert.equal(r.json[1].id, null);
  assert.equal(r.json[2].error.code, -32601);
  assert.equal(r.json[3].error.code, -32602);
});

test('notification (no id) is processed and answered with nothing (204)', async () => {
  const before = await successCount();
  const r = await post(app, notification());
  assert.equal(r.status, 204);
  assert.equal(r.body, '');
  assert.equal(await successCount(), before + 1, 'the handler ran');
  const failing = await post(app, { jsonrpc: '2.0', method: 'other' });
  assert.equal(failing.status, 204, 'errors of a valid notification are not answered either');
});

test('batch of only notifications → 204; notifications inside a batch are left out', async () => {
  const only = await post(app, [notification(), notification()]);
  assert.equal(only.status, 204);
  const mixed = await post(app, [notification(), request(envelope(), 9)]);
  assert.equal(mixed.json.length, 1);
  assert.equal(mixed.json[0].id, 9);
});

test('malformed request without an id is still answered (id null)', async () => {
  const r = await post(app, { jsonrpc: '2.0', method: 5 });
  assert.equal(r.json.error.code, -32600);
  assert.equal(r.json.id, null);
});

test('id is echoed exactly: string, integer, float, null, empty string', async () => {
  for (const id of ['abc', 0, -12, 1.25, null, '']) {
    const r = await post(app, request(envelope(), id));
    assert.deepEqual(r.json.id, id);
    assert.deepEqual(Object.keys(r.json), ['jsonrpc', 'result', 'id']);
  }
});
