import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BridgeError, ErrorCode } from '@wirebench/zmq-bridge';
import { failureOutcome, replyOutcome, replyProblem } from './replies.js';
import { prepareVectors, VECTOR_OPS } from './vectors.js';

const [v] = prepareVectors(1000, 1, 7);
const vec = v!;
const right = (op: 'sum' | 'mean' | 'norm', id = 'req_1') => ({ status: 'success', correlation_id: id, op, length: 1000, result: vec.expected[op] });
const expected = (op: 'sum' | 'mean' | 'norm') => ({ correlationId: 'req_1', op, n: 1000, value: vec.expected[op] });

test('the right sum, mean and norm under the request\'s correlation_id are ok', () => {
  for (const op of VECTOR_OPS) {
    assert.equal(replyProblem(right(op), expected(op)), null, op);
    assert.deepEqual(replyOutcome({ reply: right(op), retries: 0, correlationId: 'req_1' }, { op, n: 1000, value: vec.expected[op] }), { status: 'ok' });
  }
});

test('a wrong sum, mean or norm is wrong_result; another op or length is reply_shape', () => {
  for (const op of VECTOR_OPS) {
    const off = { ...right(op), result: vec.expected[op] + 1e-3 };
    assert.equal(replyProblem(off, expected(op)), 'wrong_result', op);
    assert.deepEqual(replyOutcome({ reply: off, retries: 0, correlationId: 'req_1' }, { op, n: 1000, value: vec.expected[op] }), { status: 'error', kind: 'wrong_result' });
  }
  assert.equal(replyProblem({ ...right('sum'), result: String(vec.expected.sum) }, expected('sum')), 'wrong_result', 'a number as a string is not a number');
  // The mean of a vector is not its sum: a server answering the wrong op is caught by op, and by value.
  assert.equal(replyProblem({ ...right('sum'), op: 'mean' }, expected('sum')), 'reply_shape');
  assert.equal(replyProblem({ ...right('sum'), length: 999 }, expected('sum')), 'reply_shape');
  assert.equal(replyProblem({ ...right('sum'), result: vec.expected.mean }, expected('sum')), 'wrong_result');
});

test('a reply under another correlation_id, or none, is correlation_id', () => {
  assert.equal(replyProblem(right('sum', 'req_2'), expected('sum')), 'correlation_id');
  const { correlation_id: _id, ...bare } = right('sum');
  assert.equal(replyProblem(bare, expected('sum')), 'correlation_id');
  assert.deepEqual(replyOutcome({ reply: right('norm', 'req_9'), retries: 0, correlationId: 'req_1' }, { op: 'norm', n: 1000, value: vec.expected.norm }), { status: 'error', kind: 'correlation_id' });
});

test('an error reply is an error of its code; other statuses say which', () => {
  const err = { status: 'error', code: ErrorCode.BadRequest, message: 'no', correlation_id: 'req_1' };
  assert.equal(replyProblem(err, expected('sum')), ErrorCode.BadRequest);
  assert.equal(replyProblem({ status: 'error', message: 'no' }, expected('sum')), 'error_reply');
  assert.equal(replyProblem({ status: 'heartbeat_ack', correlation_id: 'req_1' }, expected('sum')), 'status_heartbeat_ack');
  assert.deepEqual(replyOutcome({ reply: err, retries: 2, correlationId: 'req_1' }, { op: 'sum', n: 1000, value: 0 }), { status: 'error', kind: ErrorCode.BadRequest, retries: 2 });
});

test('retries and discarded late replies ride on the outcome', () => {
  assert.deepEqual(replyOutcome({ reply: right('sum'), retries: 1, correlationId: 'req_1' }, { op: 'sum', n: 1000, value: vec.expected.sum }, 2), { status: 'ok', retries: 1, duplicates: 2 });
});

test('a request the client failed is an error of the client\'s code', () => {
  assert.deepEqual(failureOutcome(new BridgeError(ErrorCode.Abandoned, 'no reply')), { status: 'error', kind: 'WB_ERR_ZMQ_ABANDONED' });
  assert.deepEqual(failureOutcome(new Error('boom')), { status: 'error', kind: 'exception' });
  assert.deepEqual(failureOutcome(null, 1), { status: 'error', kind: 'exception', duplicates: 1 });
});
