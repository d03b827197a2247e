import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AgentError,
  createEnvelope,
  parseAndValidateEnvelope,
  serializeEnvelope,
  validateEnvelope,
  validatePayload,
} from './index.js';
import { CLIENT, SERVER, envelope } from './test-helpers.js';

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

test('createEnvelope fills id (ULID), UTC timestamp and nulls, in wire key order', () => {
  const e = createEnvelope({ sender: CLIENT, recipient: SERVER, payload_type: 'task.request', payload: { a: 1 } });
  assert.match(e.id, ULID);
  assert.match(e.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  assert.equal(e.asap_version, '0.1');
  assert.deepEqual(Object.keys(JSON.parse(serializeEnvelope(e))), [
    'id', 'asap_version', 'timestamp', 'sender', 'recipient', 'payload_type', 'payload', 'correlation_id', 'trace_id', 'extensions',
  ]);
  assert.equal(e.correlation_id, null);
  assert.equal(e.extensions, null);
});

test('a null timestamp is filled in like an absent one; an empty correlation_id counts as missing', () => {
  for (const e of [
    createEnvelope({ sender: CLIENT, recipient: SERVER, payload_type: 'x', payload: {}, timestamp: null }),
    parseAndValidateEnvelope(JSON.stringify({ ...envelope(), timestamp: null })),
  ]) {
    assert.match(e.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.ok(Math.abs(Date.parse(e.timestamp) - Date.now()) < 10_000);
  }
  const r = validateEnvelope({ ...envelope(), payload_type: 'McpToolResult', correlation_id: '' });
  assert.equal(r.ok, false);
  assert.equal(r.ok ? '' : r.errors[0]?.msg, 'Value error, McpToolResult must have correlation_id for request tracking');
  assert.equal(validateEnvelope({ ...envelope(), payload_type: 'McpToolResult', correlation_id: 'c' }).ok, true);
});

test('serialize → parseAndValidate round-trips and keeps a Z timestamp as sent', () => {
  const e = createEnvelope({ sender: CLIENT, recipient: SERVER, payload_type: 'x', payload: { s: 'é"\n' }, timestamp: '2026-01-31T18:00:00.123456Z' });
  assert.equal(e.timestamp, '2026-01-31T18:00:00.123456Z');
  const back = parseAndValidateEnvelope(serializeEnvelope(e));
  assert.deepEqual(back, e);
  assert.equal(serializeEnvelope(e), JSON.stringify(e));
});

test('naive and offset timestamps are normalized to UTC ending in Z', () => {
  const naive = createEnvelope({ sender: CLIENT, recipient: SERVER, payload_type: 'x', payload: {}, timestamp: '2026-01-31T18:00:00' });
  assert.equal(naive.timestamp, '2026-01-31T18:00:00.000Z');
  const offset = createEnvelope({ sender: CLIENT, recipient: SERVER, payload_type: 'x', payload: {}, timestamp: '2026-01-31T20:00:00+02:00' });
  assert.equal(offset.timestamp, '2026-01-31T18:00:00.000Z');
});

test('unknown fields, bad URNs, bad timestamps and wrong types are all reported', () => {
  const r = validateEnvelope(envelope({ extra: 1, sender: 'agent-a', timestamp: '2026-02-30T00:00:00Z', payload: [] }));
  assert.equal(r.ok, false);
  if (r.ok) return;
  const byLoc = Object.fromEntries(r.errors.map((e) => [e.loc.join('.'), e.type]));
  assert.equal(byLoc.extra, 'extra_forbidden');
  assert.equal(byLoc.sender, 'string_pattern_mismatch');
  assert.equal(byLoc.timestamp, 'datetime_from_date_parsing');
  assert.equal(byLoc.payload, 'dict_type');
});

test('URNs: pattern and 256-character limit; lax mode accepts any sender', () => {
  const long = `urn:asap:agent:${'a'.repeat(241)}`;
  assert.equal(long.length, 256);
  assert.equal(validateEnvelope(envelope({ sender: long })).ok, true);
  assert.equal(validateEnvelope(envelope({ sender: `${long}a` })).ok, false);
  assert.equal(validateEnvelope(envelope({ sender: 'urn:asap:agent:a:b' })).ok, true);
  assert.equal(validateEnvelope(envelope({ sender: 'urn:asap:agent:A' })).ok, false);
  assert.equal(validateEnvelope(envelope({ sender: 'anything' }), { strictUrns: false, strictIds: false }).ok, true);
});

test('supplied ids are not format-checked unless strictIds; null id gets a new ULID', () => {
  assert.equal(validateEnvelope(envelope({ id: 'not-a-ulid' })).ok, true);
  const strict = validateEnvelope(envelope({ id: 'not-a-ulid' }), { strictUrns: true, strictIds: true });
  assert.equal(strict.ok, false);
  const r = validateEnvelope(envelope({ id: null }));
  assert.ok(r.ok && ULID.test(r.envelope.id));
});

test('TaskResponse / McpToolResult / McpResourceData need a correlation_id', () => {
  for (const t of ['TaskResponse', 'McpToolResult', 'McpResourceData']) {
    const r = validateEnvelope(envelope({ payload_type: t }));
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.errors[0]?.msg, `Value error, ${t} must have correlation_id for request tracking`);
    assert.equal(validateEnvelope(envelope({ payload_type: t, correlation_id: 'c' })).ok, true);
  }
  assert.equal(validateEnvelope(envelope({ payload_type: 'task.response' })).ok, true, 'matched exactly, as in the baseline');
});

test('payload models: McpToolResult exclusivity, TaskUpdate percent, extra fields', () => {
  assert.equal(validatePayload('McpToolResult', { request_id: 'r', success: true, result: { x: 1 } }).ok, true);
  assert.equal(validatePayload('McpToolResult', { request_id: 'r', success: true, result: { x: 1 }, error: 'e' }).ok, false);
  assert.equal(validatePayload('McpToolResult', { request_id: 'r', success: true }).ok, false);
  assert.equal(validatePayload('McpToolResult', { request_id: 'r', success: false, error: 'e' }).ok, true);
  assert.equal(validatePayload('McpToolResult', { request_id: 'r', success: false, error: 'e', result: 1 }).ok, false);
  const upd = (percent: unknown) => ({ task_id: 't', update_type: 'progress', status: 'working', progress: { percent } });
  assert.equal(validatePayload('TaskUpdate', upd(0)).ok, true);
  assert.equal(validatePayload('TaskUpdate', upd(100)).ok, true);
  assert.equal(validatePayload('TaskUpdate', upd(100.5)).ok, false);
  assert.equal(validatePayload('TaskUpdate', upd('50')).ok, false);
  assert.equal(validatePayload('TaskRequest', { conversation_id: 'c', skill_id: 's', input: {}, bogus: 1 }).ok, false);
  assert.equal(validatePayload('MessageSend', { task_id: 't', message_id: 'm', sender: 's', role: 'robot', parts: [] }).ok, false);
  assert.equal(validatePayload('StateQuery', { task_id: 't', version: 1.5 }).ok, false);
});

test('parseAndValidateEnvelope rejects bad JSON and deep nesting with WB_ERR_INVALID_ENVELOPE', () => {
  assert.throws(() => parseAndValidateEnvelope('{'), (e: unknown) => e instanceof AgentError && e.code === 'WB_ERR_INVALID_ENVELOPE');
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  assert.throws(() => parseAndValidateEnvelope(deep), /nesting deeper than 512/);
  assert.throws(() => createEnvelope({ sender: 'bad', recipient: SERVER, payload_type: 'x', payload: {} }), /sender/);
});
