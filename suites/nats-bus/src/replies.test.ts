import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkEcho, checkOutbound, checkRecentChat } from './replies.js';

const out = (n: number, o: Record<string, unknown> = {}) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: i + 1, timestamp: 1000 + i, message: `m${i}`, retry_count: 0, last_error: null, ...o })));
const chat = (n: number, o: Record<string, unknown> = {}) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ timestamp: 1000 + i, username: 'u', message: `m${i}`, ...o })));

test('outbound.get: exactly min(limit, seeded) well-formed rows, oldest first', () => {
  assert.equal(checkOutbound({ body: out(20) }, 20, 30), null);
  assert.equal(checkOutbound({ body: out(5) }, 20, 5), null);
  assert.equal(checkOutbound({ body: out(19) }, 20, 30), 'outbound_count');
  assert.equal(checkOutbound({ body: '[]' }, 20, 30), 'outbound_count'); // the original's error reply
  assert.equal(checkOutbound({ body: out(20, { retry_count: 1 }) }, 20, 30), 'outbound_row');
  assert.equal(checkOutbound({ body: out(20, { id: '1' }) }, 20, 30), 'outbound_row');
  const reversed = JSON.stringify((JSON.parse(out(20)) as unknown[]).reverse());
  assert.equal(checkOutbound({ body: reversed }, 20, 30), 'outbound_order');
});

test('error replies and non-arrays are errors, by kind', () => {
  assert.equal(checkOutbound({ body: '[]', error: { code: 503, description: 'locked' } }, 20, 30), 'service_error_503');
  assert.equal(checkRecentChat({ body: '{"a":1}' }, 20), 'not_array');
  assert.equal(checkRecentChat({ body: '[' }, 20), 'bad_json');
});

test('recent_chat.get: exactly limit rows, ascending timestamps, typed fields', () => {
  assert.equal(checkRecentChat({ body: chat(20) }, 20), null);
  assert.equal(checkRecentChat({ body: chat(21) }, 20), 'recent_count');
  assert.equal(checkRecentChat({ body: chat(20, { username: 5 }) }, 20), 'recent_row');
  const reversed = JSON.stringify((JSON.parse(chat(20)) as unknown[]).reverse());
  assert.equal(checkRecentChat({ body: reversed }, 20), 'recent_order');
});

test('echo: the very bytes sent', () => {
  const e = new TextEncoder();
  assert.equal(checkEcho(e.encode('abc'), e.encode('abc')), null);
  assert.equal(checkEcho(e.encode('abd'), e.encode('abc')), 'echo_body');
  assert.equal(checkEcho(e.encode('ab'), e.encode('abc')), 'echo_length');
});
