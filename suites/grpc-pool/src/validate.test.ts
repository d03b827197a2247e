import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytesPerSecond, checkBinary, checkDirectPing, checkEcho, checkPing, checkSleep, checkStream, checkSum, failureKind, servedBy, type WireResponse } from './validate.js';

const map = (v: unknown, type = 'map'): WireResponse => ({ success: true, result: { type_url: `type.googleapis.com/snakepit.${type}`, value: Buffer.from(JSON.stringify(v)) }, error_message: '' });
const now = 1_700_000_000;

test('a ping reply passes only with the message sent, a map result and a current timestamp', () => {
  assert.equal(checkPing(map({ message: 'm0-1', timestamp: String(now) }), 'm0-1', now), null);
  assert.equal(checkPing(map({ message: 'm0-2', timestamp: String(now) }), 'm0-1', now), 'wrong_message');
  assert.equal(checkPing(map({ message: 'm0-1', timestamp: String(now) }, 'string'), 'm0-1', now), 'bad_result');
  assert.equal(checkPing(map({ message: 'm0-1', timestamp: 'soon' }), 'm0-1', now), 'bad_timestamp');
  assert.equal(checkPing(map({ message: 'm0-1', timestamp: String(now - 3600) }), 'm0-1', now), 'bad_timestamp');
  assert.equal(checkPing({ success: true, result: { type_url: 'type.googleapis.com/snakepit.map', value: Buffer.from('{') }, error_message: '' }, 'm', now), 'bad_result');
  assert.equal(checkPing({ success: true, result: null, error_message: '' }, 'm', now), 'bad_result');
});

test('pool failures are counted by their contract reason, tool failures apart', () => {
  const pool = (reason: string) => JSON.stringify({ category: 'pool', code: 'WB_ERR_POOL_X', reason, message: 'x' });
  assert.equal(failureKind(pool('pool_saturated')), 'pool_saturated');
  assert.equal(failureKind(pool('queue_timeout')), 'queue_timeout');
  assert.equal(failureKind(JSON.stringify({ category: 'pool', code: 'WB_ERR_POOL_WORKER_LOST', reason: null })), 'WB_ERR_POOL_WORKER_LOST');
  assert.equal(failureKind(JSON.stringify({ type: 'ValueError', message: 'Unknown tool' })), 'tool_failed');
  assert.equal(failureKind('not json'), 'bad_error_message');
  assert.equal(checkPing({ success: false, result: null, error_message: pool('pool_saturated') }, 'm', now), 'pool_saturated');
});

test('a binary reply must carry the same bytes on the binary path', () => {
  const sent = Buffer.alloc(20_000, 7);
  const ok: WireResponse = { ...map({ size: sent.length }, 'binary.binary'), binary_result: Buffer.from(sent) };
  assert.equal(checkBinary(ok, sent), null);
  assert.equal(checkBinary({ ...ok, binary_result: Buffer.alloc(20_000, 8) }, sent), 'wrong_bytes');
  assert.equal(checkBinary({ ...ok, result: map({ size: 1 }, 'binary.binary').result }, sent), 'wrong_size');
  assert.equal(checkBinary({ ...map({ size: sent.length }), binary_result: sent }, sent), 'bad_result');
});

test('sleep and direct ping replies', () => {
  assert.equal(checkSleep(map({ slept_ms: 100 }), 100), null);
  assert.equal(checkSleep(map({ slept_ms: 99 }), 100), 'bad_result');
  assert.equal(checkDirectPing({ status: 'ok', echo: { message: 'a' } }, 'a'), null);
  assert.equal(checkDirectPing({ status: 'ok', echo: { message: 'b' } }, 'a'), 'wrong_message');
  assert.equal(checkDirectPing({ status: 'error' }, 'a'), 'bad_status');
});

test('a stream must be stream-1..n in order, then one empty final chunk', () => {
  const chunk = (i: number, n: number) => ({ chunk_id: `stream-${i}`, data: Buffer.from(JSON.stringify({ i, of: n })), is_final: false });
  const final = (i: number) => ({ chunk_id: `stream-${i}`, data: Buffer.alloc(0), is_final: true });
  assert.equal(checkStream([chunk(1, 2), chunk(2, 2), final(3)], 2), null);
  assert.equal(checkStream([chunk(1, 2), final(3)], 2), 'missing_chunks');
  assert.equal(checkStream([chunk(2, 2), chunk(1, 2), final(3)], 2), 'bad_chunk_id');
  assert.equal(checkStream([chunk(1, 2), chunk(2, 3), final(3)], 2), 'bad_chunk_data');
  assert.equal(checkStream([chunk(1, 2), chunk(2, 2), { ...final(3), data: Buffer.from('x') }], 2), 'bad_final_chunk');
});

test('compute sum must be exact; echo must carry the same string; a reply names its worker or not', () => {
  assert.equal(checkSum(map(1.5, 'float'), 1.5), null);
  assert.equal(checkSum(map(1.5000001, 'float'), 1.5), 'wrong_sum');
  assert.equal(checkSum(map('1.5', 'string'), 1.5), 'bad_result');
  assert.equal(checkEcho(map({ echoed: { data: 'QUJD' } }), 'QUJD'), null);
  assert.equal(checkEcho(map({ echoed: { data: 'QUJE' } }), 'QUJD'), 'wrong_bytes');
  assert.equal(checkEcho(map({ data: 'QUJD' }), 'QUJD'), 'bad_result');
  assert.equal(servedBy({ ...map({}), metadata: { worker_id: 'worker_3' } }), 'worker_3');
  assert.equal(servedBy({ ...map({}), metadata: {} }), null);
  assert.equal(servedBy({ ...map({}), metadata: { worker_id: 'someone' } }), null);
});

test('payload bytes per second over the measured stages', () => {
  assert.equal(bytesPerSecond({ counts: { bytes: 3000 }, stages: [{ durationMs: 1000 }, { durationMs: 500 }] }), 2000);
  assert.equal(bytesPerSecond({ counts: {}, stages: [{ durationMs: 1000 }] }), 0);
});
