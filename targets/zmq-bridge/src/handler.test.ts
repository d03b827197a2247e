import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage, FORMATS } from './codec.js';
import { ErrorCode } from './errors.js';
import { createHandler, handleRequest } from './handler.js';

const handle = createHandler({ serverId: 'server_7', now: () => 1700000000.5 });

function ask(value: unknown, format: 'json' | 'msgpack' | 'raw' | 'legacy' = 'json'): Record<string, unknown> {
  return decodeMessage(handle(encodeMessage(value, format))).value as Record<string, unknown>;
}

test('"HEARTBEAT" gets the spec heartbeat_ack', () => {
  assert.deepEqual(ask('HEARTBEAT'), { status: 'heartbeat_ack', timestamp: 1700000000.5, server_id: 'server_7' });
  assert.equal(ask({ correlation_id: 'h1', payload: 'HEARTBEAT' }).correlation_id, 'h1');
  const legacy = handle([Buffer.from('"HEARTBEAT"')]);
  assert.match((legacy[0] as Buffer).toString(), /^\{"status":"heartbeat_ack"/, 'headerless in, headerless out');
});

for (const format of FORMATS) {
  test(`${format}: sum, mean, dot, norm and echo, correlation_id echoed`, () => {
    const data = Float32Array.from([1, 2, 3, 4]);
    const other = Float32Array.from([2, 2, 2, 2]);
    const cases: Array<[string, number]> = [['sum', 10], ['mean', 2.5], ['dot', 20], ['norm', Math.sqrt(30)]];
    for (const [op, expected] of cases) {
      const r = ask({ correlation_id: `c-${op}`, payload: { op, data, other } }, format);
      assert.equal(r.status, 'success', JSON.stringify(r));
      assert.equal(r.result, expected, op);
      assert.equal(r.length, 4);
      assert.equal(r.correlation_id, `c-${op}`);
      assert.equal(r.server_id, 'server_7');
    }
    const echo = ask({ payload: { op: 'echo', data: Float32Array.from([Number.NaN, -Infinity]) } }, format);
    assert.deepEqual(Array.from(echo.result as ArrayLike<number>), [Number.NaN, -Infinity]);
  });
}

test('raw echo replies with the vector in its own frame', () => {
  const reply = handle(encodeMessage({ payload: { op: 'echo', data: new Float32Array(1000) } }, 'raw'));
  assert.equal(reply.length, 2);
  assert.equal(reply[1]?.length, 4000);
});

test('matrix payload: success reply keys in the spec order', () => {
  const r = ask({ correlation_id: 42, payload: { schema_version: 2, matrix: [[1, 2], [3, 4], [5, 6]], model: { name: 'm', version: '1', author: 'a' } } });
  assert.deepEqual(Object.keys(r), ['status', 'matrix_sum', 'model_checked', 'schema_version_used', 'timestamp', 'matrix_shape', 'data_type', 'correlation_id']);
  assert.equal(r.matrix_sum, 21);
  assert.deepEqual(r.matrix_shape, [3, 2]);
  assert.equal(r.model_checked, 'm');
  assert.equal(r.correlation_id, 42);
  const bare = ask({ schema_version: 1, matrix: [], model: { name: 'x', version: '2' } });
  assert.equal(bare.status, 'success');
  assert.equal('correlation_id' in bare, false);
});

test('payload errors: coded error replies that keep the correlation_id', () => {
  const model = { name: 'm', version: '1' };
  const cases: Array<[unknown, RegExp]> = [
    [{ schema_version: 3, matrix: [[1]], model }, /Unsupported schema version: 3/],
    [{ schema_version: 1, matrix: [[1, 2], [3]], model }, /same length/],
    [{ schema_version: 1, matrix: [[1.5]], model }, /integer/],
    [{ schema_version: 1, model }, /'matrix' is a required property/],
    [[1, 2, 3], /must be a JSON object/],
    [{ op: 'nope', data: [] }, /Unknown op/],
    [{ op: 'dot', data: [1], other: [1, 2] }, /equal lengths/],
    [{ op: 'sum', data: ['a'] }, /array of numbers/],
  ];
  for (const [payload, message] of cases) {
    const r = ask({ correlation_id: 'e1', payload });
    assert.equal(r.status, 'error');
    assert.match(String(r.message), message);
    assert.equal(r.code, ErrorCode.BadRequest);
    assert.equal(r.correlation_id, 'e1');
    assert.deepEqual(Object.keys(r), ['status', 'message', 'timestamp', 'code', 'correlation_id']);
  }
});

test('malformed frames get error replies, never silence or a throw', () => {
  const truncated = encodeMessage({ correlation_id: 't1', payload: { op: 'sum', data: Float32Array.from([1, 2]) } }, 'raw');
  const cases: Array<[Buffer[], string]> = [
    [[], ErrorCode.BadFrame],
    [[Buffer.alloc(0)], ErrorCode.BadFrame],
    [[Buffer.from([0x07, 0x00])], ErrorCode.UnknownFormat],
    [[Buffer.from([0x03, 0x00])], ErrorCode.UnsupportedFormat],
    [[Buffer.from('\x01{"payload":')], ErrorCode.BadJson],
    [[Buffer.from('{"payload":')], ErrorCode.BadJson],
    [[Buffer.from([0x02, 0x92, 0x01])], ErrorCode.BadMsgpack],
    [[truncated[0] as Buffer, (truncated[1] as Buffer).subarray(0, 5)], ErrorCode.TruncatedVector],
  ];
  for (const [frames, code] of cases) {
    const reply = handleRequest(frames);
    assert.ok(reply.length >= 1);
    const r = decodeMessage(reply).value as Record<string, unknown>;
    assert.equal(r.status, 'error');
    assert.equal(r.code, code, JSON.stringify(r));
  }
  const r = decodeMessage(handleRequest([truncated[0] as Buffer])).value as Record<string, unknown>;
  assert.equal(r.correlation_id, 't1', 'raw meta still readable: correlation_id salvaged');
});

test('stall busies the CPU for the asked time (capped) and then answers', () => {
  const t0 = performance.now();
  const r = ask({ correlation_id: 's1', payload: { op: 'stall', ms: 30 } });
  assert.ok(performance.now() - t0 >= 30, 'the stall really blocks');
  assert.deepEqual([r.status, r.result, r.correlation_id], ['success', 30, 's1']);
  assert.equal(ask({ payload: { op: 'stall' } }).code, ErrorCode.BadRequest);
});
