import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { buildAgent } from './index.js';
import { CLIENT, SERVER, envelope, post, request } from './test-helpers.js';

const app = buildAgent({ rateLimit: false });
after(() => app.close());

test('echo skill reply is exactly as specified', async () => {
  const reqEnv = envelope({ trace_id: 'trace-1', extensions: { k: 'v' } });
  const r = await post(app, request(reqEnv, 7));
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
  assert.ok(r.body.startsWith('{"jsonrpc":"2.0","result":{"envelope":{"id":"'));
  assert.ok(r.body.endsWith('},"id":7}'));
  const e = r.json.result.envelope;
  assert.deepEqual(Object.keys(e), ['id', 'asap_version', 'timestamp', 'sender', 'recipient', 'payload_type', 'payload', 'correlation_id', 'trace_id', 'extensions']);
  assert.match(e.id, /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
  assert.notEqual(e.id, reqEnv.id);
  assert.equal(e.asap_version, '0.1');
  assert.match(e.timestamp, /Z$/);
  assert.ok(Math.abs(Date.parse(e.timestamp) - Date.now()) < 10_000);
  assert.equal(e.sender, SERVER);
  assert.equal(e.recipient, CLIENT);
  assert.equal(e.payload_type, 'task.response');
  assert.match(e.payload.task_id, /^task_[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
  assert.deepEqual({ ...e.payload, task_id: 'x' }, { task_id: 'x', status: 'completed', result: { echoed: { n: 42 } }, final_state: null, metrics: null });
  assert.deepEqual(Object.keys(e.payload), ['task_id', 'status', 'result', 'final_state', 'metrics']);
  assert.equal(e.correlation_id, reqEnv.id);
  assert.equal(e.trace_id, 'trace-1');
  assert.equal(e.extensions, null);
});

test('without id/timestamp in the request the reply correlates to the generated id', async () => {
  const { id: _i, timestamp: _t, ...rest } = envelope();
  const r = await post(app, request(rest));
  assert.match(r.json.result.envelope.correlation_id, /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
  assert.equal(r.json.result.envelope.trace_id, null);
});

test('a large echoed input (100 KB) comes back intact', async () => {
  const input = { blob: 'y'.repeat(100 * 1024), list: Array.from({ length: 500 }, (_, i) => ({ i })) };
  const r = await post(app, request(envelope({ payload: { conversation_id: 'c', skill_id: 'echo', input } })));
  assert.deepEqual(r.json.result.envelope.payload.result.echoed, input);
});
