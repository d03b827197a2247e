import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { buildAgent } from './index.js';
import { assertServing, envelope, post, request } from './test-helpers.js';

const app = buildAgent({ rateLimit: false, maxRequestSize: 64 * 1024 });
after(() => app.close());

/** Expect one JSON-RPC error with HTTP 200, then check the agent still serves. */
async function expectError(body: unknown, code: number, message: string, id: unknown, data?: (d: any) => void) {
  const r = await post(app, body);
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(Object.keys(r.json), ['jsonrpc', 'error', 'id']);
  assert.equal(r.json.jsonrpc, '2.0');
  assert.equal(r.json.error.code, code);
  assert.equal(r.json.error.message, message);
  assert.equal(r.json.id, id);
  data?.(r.json.error.data);
  await assertServing(app);
}

test('malformed JSON → -32700 Parse error, id null, data.error', async () => {
  await expectError('{"jsonrpc": "2.0", ', -32700, 'Parse error', null, (d) => assert.match(d.error, /^Invalid JSON: /));
  await expectError('', -32700, 'Parse error', null);
});

test('body that is not UTF-8 → -32700', async () => {
  await expectError(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), -32700, 'Parse error', null, (d) => assert.match(d.error, /UTF-8/));
});

test('root that is not an object → -32600 with received_type', async () => {
  await expectError('"hello"', -32600, 'Invalid request', null, (d) => {
    assert.equal(d.error, 'JSON-RPC request must be an object');
    assert.equal(d.received_type, 'str');
  });
  await expectError('42', -32600, 'Invalid request', null, (d) => assert.equal(d.received_type, 'int'));
  await expectError('null', -32600, 'Invalid request', null, (d) => assert.equal(d.received_type, 'NoneType'));
});

test('wrong JSON-RPC version → -32600 with validation_errors, id echoed', async () => {
  await expectError({ ...request(), jsonrpc: '1.0' }, -32600, 'Invalid request', 7, (d) => {
    assert.equal(d.error, 'Invalid JSON-RPC structure');
    assert.deepEqual(d.validation_errors[0].loc, ['jsonrpc']);
  });
});

test('missing or non-string method → -32600; unknown method → -32601 with data.method', async () => {
  const { method: _m, ...noMethod } = request();
  await expectError(noMethod, -32600, 'Invalid request', 7, (d) =>
    assert.deepEqual(d.validation_errors, [{ type: 'missing', loc: ['method'], msg: 'Field required' }]),
  );
  await expectError({ ...request(), method: 5 }, -32600, 'Invalid request', 7);
  await expectError({ ...request(), method: 'asap.nope' }, -32601, 'Method not found', 7, (d) => assert.deepEqual(d, { method: 'asap.nope' }));
});

test('asap.send with params that are not an object (array included) → -32602 "JSON-RPC \'params\' must be an object"', async () => {
  for (const params of [[1, 2], [], 'x', 3, null]) {
    await expectError({ ...request(), params }, -32602, 'Invalid params', 7, (d) =>
      assert.deepEqual(d, { error: "JSON-RPC 'params' must be an object", validation_errors: [{ type: 'dict_type', loc: ['params'], msg: 'Input should be a valid dictionary' }] }),
    );
  }
});

test('the method is checked before params: an unknown method → -32601 whatever its params', async () => {
  for (const params of [[42, 23], { a: 1 }, 'x', 3, null]) {
    await expectError({ jsonrpc: '2.0', method: 'subtract', params, id: 1 }, -32601, 'Method not found', 1, (d) => assert.deepEqual(d, { method: 'subtract' }));
  }
});

test('-32602 only when params alone are wrong: any other fault beside them → -32600', async () => {
  await expectError({ jsonrpc: '2.0', method: 1, params: 'bar' }, -32600, 'Invalid request', null, (d) => {
    assert.equal(d.error, 'Invalid JSON-RPC structure');
    assert.ok(d.validation_errors.some((e: any) => e.loc[0] === 'method'));
  });
  await expectError({ ...request(), params: 'x', extra: 1 }, -32600, 'Invalid request', 7);
  await expectError({ ...request(), params: [1], jsonrpc: '1.0' }, -32600, 'Invalid request', 7);
});

test('notifications with params the method cannot take are not answered (-32601 / -32602 stay silent)', async () => {
  for (const body of [
    { jsonrpc: '2.0', method: 'update', params: [1, 2, 3, 4, 5] },
    { jsonrpc: '2.0', method: 'asap.send', params: [1] },
    { jsonrpc: '2.0', method: 'asap.send', params: 'x' },
  ]) {
    const r = await post(app, body);
    assert.equal(r.status, 204, JSON.stringify(body));
    assert.equal(r.body, '');
  }
});

test('unknown top-level key → -32600; bad id type → -32600 with id null', async () => {
  await expectError({ ...request(), extra: true }, -32600, 'Invalid request', 7, (d) => assert.equal(d.validation_errors[0].type, 'extra_forbidden'));
  await expectError({ ...request(), id: { a: 1 } }, -32600, 'Invalid request', null);
});

test('missing envelope / envelope not an object → -32602', async () => {
  await expectError({ jsonrpc: '2.0', method: 'asap.send', params: {}, id: 1 }, -32602, 'Invalid params', 1, (d) =>
    assert.deepEqual(d, { error: "Missing 'envelope' in params" }),
  );
  await expectError({ jsonrpc: '2.0', method: 'asap.send', id: 1 }, -32602, 'Invalid params', 1);
  await expectError(request('text'), -32602, 'Invalid params', 7, (d) => assert.deepEqual(d, { error: "'envelope' must be a JSON object" }));
});

test('unknown envelope fields, invalid URN, invalid timestamp → -32602 "Invalid envelope structure"', async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ surprise: 1 }, 'surprise'],
    [{ sender: 'not-a-urn' }, 'sender'],
    [{ recipient: 'urn:asap:agent:UPPER' }, 'recipient'],
    [{ timestamp: 'yesterday' }, 'timestamp'],
    [{ asap_version: 1 }, 'asap_version'],
  ];
  for (const [patch, loc] of cases) {
    await expectError(request(envelope(patch)), -32602, 'Invalid params', 7, (d) => {
      assert.equal(d.error, 'Invalid envelope structure');
      assert.ok(d.validation_errors.some((e: any) => e.loc[0] === loc), JSON.stringify(d));
    });
  }
});

test('invalid ULID is rejected when strictIds is on (baseline accepts any supplied id)', async () => {
  const strict = buildAgent({ rateLimit: false, strictIds: true });
  try {
    const r = await post(strict, request(envelope({ id: 'nope' })));
    assert.equal(r.json.error.code, -32602);
    assert.deepEqual(r.json.error.data.validation_errors[0].loc, ['id']);
    await assertServing(strict);
  } finally {
    await strict.close();
  }
  const lax = await post(app, request(envelope({ id: 'nope' })));
  assert.equal(lax.json.result.envelope.correlation_id, 'nope');
});

test('response envelope without correlation_id (absent, null or "") → -32602 with the model error', async () => {
  for (const patch of [{}, { correlation_id: null }, { correlation_id: '' }]) {
    await expectError(request(envelope({ payload_type: 'TaskResponse', payload: { task_id: 't', status: 'completed' }, ...patch })), -32602, 'Invalid params', 7, (d) =>
      assert.deepEqual(d.validation_errors, [{ type: 'value_error', loc: [], msg: 'Value error, TaskResponse must have correlation_id for request tracking' }]),
    );
  }
});

test('"timestamp": null is filled in like an absent timestamp (the request is served)', async () => {
  const r = await post(app, request(envelope({ timestamp: null })));
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.result.envelope.payload_type, 'task.response');
});

test('stale and future timestamps → -32602 "Invalid envelope timestamp"', async () => {
  const old = new Date(Date.now() - 301_000).toISOString();
  await expectError(request(envelope({ timestamp: old })), -32602, 'Invalid params', 7, (d) => {
    assert.equal(d.error, 'Invalid envelope timestamp');
    assert.equal(d.code, 'asap:protocol/invalid_timestamp');
    assert.match(d.message, /^Envelope timestamp is too old: 30\d\.\d seconds \(max: 300 seconds\)$/);
  });
  const future = new Date(Date.now() + 40_000).toISOString();
  await expectError(request(envelope({ timestamp: future })), -32602, 'Invalid params', 7, (d) =>
    assert.match(d.message, /too far in the future: \d+\.\d seconds \(max tolerance: 30 seconds\)/),
  );
});

test('unregistered payload_type → -32601 with payload_type; invalid TaskRequest payload → -32603', async () => {
  await expectError(request(envelope({ payload_type: 'task.cancel' })), -32601, 'Method not found', 7, (d) =>
    assert.deepEqual(d, { payload_type: 'task.cancel', error: 'No handler registered for payload type: task.cancel' }),
  );
  await expectError(request(envelope({ payload: { skill_id: 'echo' } })), -32603, 'Internal error', 7, (d) =>
    assert.deepEqual(d, { error: 'Internal server error' }),
  );
});

test('empty batch → one -32600 error object', async () => {
  await expectError('[]', -32600, 'Invalid request', null);
});

test('deeply nested JSON → -32700, no crash', async () => {
  await expectError(`${'['.repeat(200_000)}${']'.repeat(200_000)}`.slice(0, 60_000), -32700, 'Parse error', null);
  const deepInput = `{"a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
  const body = JSON.stringify(request(envelope({ payload: { conversation_id: 'c', skill_id: 'echo', input: {} } }))).replace('"input":{}', `"input":${deepInput}`);
  await expectError(body, -32700, 'Parse error', null, (d) => assert.match(d.error, /nesting deeper than 512/));
});

test('body over the cap → 413 with the spec detail (declared and streamed)', async () => {
  const big = JSON.stringify(request(envelope({ payload: { conversation_id: 'c', skill_id: 'echo', input: { s: 'x'.repeat(70 * 1024) } } })));
  const r = await post(app, big);
  assert.equal(r.status, 413);
  assert.deepEqual(r.json, { detail: `Request size (${Buffer.byteLength(big)} bytes) exceeds maximum (65536 bytes)` });
  const bomb = gzipSync(big);
  const z = await post(app, bomb, { 'content-encoding': 'gzip' });
  assert.equal(z.status, 413);
  assert.match(z.json.detail, /^Decompressed request size \(more than 65536 bytes\) exceeds maximum \(65536 bytes\)$/);
  await assertServing(app);
});

test('gzip bodies are accepted; bad compressed data → 400; unknown encoding → 415', async () => {
  const ok = await post(app, gzipSync(JSON.stringify(request())), { 'content-encoding': 'gzip' });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.result.envelope.payload_type, 'task.response');
  const bad = await post(app, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
  assert.equal(bad.status, 400);
  assert.match(bad.json.detail, /^Invalid compressed data: /);
  const unk = await post(app, JSON.stringify(request()), { 'content-encoding': 'zstd' });
  assert.equal(unk.status, 415);
  assert.deepEqual(unk.json, { detail: 'Unsupported Content-Encoding: zstd. Supported: gzip, br' });
  await assertServing(app);
});

test('missing or odd Content-Type is ignored, as in the original', async () => {
  const r = await app.inject({ method: 'POST', url: '/asap', payload: JSON.stringify(request()), headers: { 'content-type': 'text/plain' } });
  assert.equal(JSON.parse(r.body).result.envelope.payload_type, 'task.response');
});
