import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseFormat, decodeMessage, encodeMessage, FORMATS, FormatHeader } from './codec.js';
import { ErrorCode, BridgeError } from './errors.js';

const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0.5, 1.5, 3.25];

function roundTrip(value: unknown, format: (typeof FORMATS)[number]): unknown {
  return decodeMessage(encodeMessage(value, format)).value;
}

function asArray(v: unknown): number[] {
  assert.ok(Array.isArray(v) || v instanceof Float32Array, `expected a vector, got ${typeof v}`);
  return Array.from(v as ArrayLike<number>);
}

for (const format of FORMATS) {
  test(`${format}: NaN, ±Inf and odd lengths round-trip`, () => {
    for (const len of [1, 3, 7, special.length]) {
      const data = Float32Array.from(special.slice(0, len));
      const out = roundTrip({ correlation_id: 'c1', payload: { op: 'echo', data } }, format) as {
        correlation_id: string;
        payload: { data: unknown; op: string };
      };
      assert.equal(out.correlation_id, 'c1');
      assert.equal(out.payload.op, 'echo');
      assert.deepEqual(asArray(out.payload.data), Array.from(data));
    }
  });

  test(`${format}: empty vector round-trips`, () => {
    const out = roundTrip({ data: new Float32Array(0) }, format) as { data: unknown };
    assert.deepEqual(asArray(out.data), []);
  });

  test(`${format}: non-finite scalars round-trip`, () => {
    const out = roundTrip({ a: Number.NaN, b: Number.POSITIVE_INFINITY, c: Number.NEGATIVE_INFINITY, s: 'x' }, format);
    assert.deepEqual(out, { a: Number.NaN, b: Number.POSITIVE_INFINITY, c: Number.NEGATIVE_INFINITY, s: 'x' });
  });
}

test('frames start with the spec header bytes', () => {
  assert.equal(encodeMessage('HEARTBEAT', 'json')[0]?.[0], 0x01);
  assert.equal(encodeMessage('HEARTBEAT', 'msgpack')[0]?.[0], 0x02);
  assert.equal(encodeMessage({ d: new Float32Array(2) }, 'raw')[0]?.[0], 0x04);
  assert.equal(encodeMessage({ a: 1 }, 'json')[0]?.subarray(1).toString(), '{"a":1}');
  assert.equal(encodeMessage([Number.NaN], 'json')[0]?.subarray(1).toString(), '["NaN"]');
});

test('raw: the vector travels as its own frame sharing the array memory, decoded as a view', () => {
  const data = Float32Array.from([1, 2, 3]);
  const frames = encodeMessage({ data }, 'raw');
  assert.equal(frames.length, 2);
  const vec = frames[1] as Buffer;
  assert.equal(vec.buffer, data.buffer, 'sent without copying');
  assert.equal(vec.readFloatLE(8), 3, 'little-endian float32');
  const received = Buffer.from(vec); // what a socket hands over: fresh memory, offset 0
  const out = decodeMessage([frames[0] as Buffer, received]).value as { data: Float32Array };
  assert.ok(out.data instanceof Float32Array);
  assert.equal(out.data.buffer, received.buffer, 'decoded without copying');
});

test('raw: a misaligned frame is copied and still decodes', () => {
  const frames = encodeMessage({ data: Float32Array.from([Number.NaN, 7]) }, 'raw');
  const backing = Buffer.alloc(9);
  (frames[1] as Buffer).copy(backing, 1);
  const misaligned = backing.subarray(1);
  const out = decodeMessage([frames[0] as Buffer, misaligned]).value as { data: Float32Array };
  assert.deepEqual(Array.from(out.data), [Number.NaN, 7]);
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof BridgeError, `expected BridgeError, got ${String(e)}`);
    return e.code;
  }
  assert.fail('expected a throw');
}

test('decode rejects bad frames with codes', () => {
  const raw = encodeMessage({ data: Float32Array.from([1, 2, 3]) }, 'raw');
  const meta = raw[0] as Buffer;
  const vec = raw[1] as Buffer;
  assert.equal(codeOf(() => decodeMessage([meta, vec.subarray(0, 10)])), ErrorCode.TruncatedVector);
  assert.equal(codeOf(() => decodeMessage([meta, vec.subarray(0, 8)])), ErrorCode.TruncatedVector);
  assert.equal(codeOf(() => decodeMessage([meta])), ErrorCode.TruncatedVector);
  assert.equal(codeOf(() => decodeMessage([])), ErrorCode.BadFrame);
  assert.equal(codeOf(() => decodeMessage([Buffer.alloc(0)])), ErrorCode.BadFrame);
  assert.equal(codeOf(() => decodeMessage([Buffer.from([0x09, 1, 2])])), ErrorCode.UnknownFormat);
  assert.equal(codeOf(() => decodeMessage([Buffer.from([FormatHeader.protobuf, 1])])), ErrorCode.UnsupportedFormat);
  assert.equal(codeOf(() => decodeMessage([Buffer.from('\x01{nope')])), ErrorCode.BadJson);
  assert.equal(codeOf(() => decodeMessage([Buffer.from([0x02, 0x92, 0x01])])), ErrorCode.BadMsgpack);
  assert.equal(codeOf(() => decodeMessage([Buffer.from('\x01{}'), Buffer.from('x')])), ErrorCode.BadFrame);
});

test('headerless JSON (the original bridge wire form) decodes as legacy', () => {
  assert.deepEqual(decodeMessage([Buffer.from('"HEARTBEAT"')]), { format: 'legacy', value: 'HEARTBEAT' });
});

test('automatic choice follows the spec thresholds, raw above MessagePack for float vectors', () => {
  assert.equal(chooseFormat({ data: new Float32Array(999) }), 'json');
  assert.equal(chooseFormat({ data: new Float32Array(1000) }), 'msgpack');
  assert.equal(chooseFormat({ payload: { data: new Float32Array(99_999) } }), 'msgpack');
  assert.equal(chooseFormat({ payload: { data: new Float32Array(100_000) } }), 'raw');
  assert.equal(chooseFormat({ matrix: new Array(200_000).fill([1]) }), 'msgpack');
  assert.equal(chooseFormat('HEARTBEAT'), 'json');
});
