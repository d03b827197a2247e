/**
 * Every example of the JSON-RPC 2.0 specification, section 7 ("Examples"), sent as written (same
 * text, same spacing) through fastify inject(). The agent serves only `asap.send`, so the spec's
 * "subtract", "sum", "foobar", … are unknown methods: where the spec shows a result, the agent owes
 * -32601 with the same id; everything else (error codes, ids, which requests get no reply) is the
 * spec's. A reply that is nothing at all is HTTP 204 with an empty body, for a single notification
 * and for a batch of them alike. Message texts are the package's (the original's), not the spec's
 * capitalisation.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { buildAgent } from './index.js';
import { envelope, post, request } from './test-helpers.js';

const app = buildAgent({ rateLimit: false });
after(() => app.close());

const MESSAGES: Record<number, string> = {
  [-32700]: 'Parse error',
  [-32600]: 'Invalid request',
  [-32601]: 'Method not found',
  [-32602]: 'Invalid params',
};

/** One error object: code, the package's message for it, and the id. */
function assertError(reply: any, code: number, id: unknown): void {
  assert.equal(reply.jsonrpc, '2.0');
  assert.deepEqual(Object.keys(reply), ['jsonrpc', 'error', 'id']);
  assert.equal(reply.error.code, code, JSON.stringify(reply));
  assert.equal(reply.error.message, MESSAGES[code]);
  assert.deepEqual(reply.id, id);
}

async function single(text: string): Promise<any> {
  const r = await post(app, text);
  assert.equal(r.status, 200, r.body);
  assert.ok(!Array.isArray(r.json), r.body);
  return r.json;
}

async function nothing(text: string): Promise<void> {
  const r = await post(app, text);
  assert.equal(r.status, 204, r.body);
  assert.equal(r.body, '');
}

test('§7 rpc call with positional parameters: unknown method → -32601 with its id (never -32602)', async () => {
  assertError(await single('{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}'), -32601, 1);
  assertError(await single('{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}'), -32601, 2);
  // The agent's own method takes named params only: positional ones are -32602, after the method check.
  assertError(await single('{"jsonrpc": "2.0", "method": "asap.send", "params": [42, 23], "id": 1}'), -32602, 1);
});

test('§7 rpc call with named parameters: unknown method → -32601 with its id', async () => {
  assertError(await single('{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}'), -32601, 3);
  assertError(await single('{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}'), -32601, 4);
  // The same shape with the agent's method is answered with a result.
  const ok = await single(JSON.stringify(request(envelope(), 4)));
  assert.deepEqual(Object.keys(ok), ['jsonrpc', 'result', 'id']);
  assert.equal(ok.id, 4);
});

test('§7 a Notification: no reply at all, array params included', async () => {
  await nothing('{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}');
  await nothing('{"jsonrpc": "2.0", "method": "foobar"}');
});

test('§7 rpc call of non-existent method → -32601, id "1"', async () => {
  const r = await single('{"jsonrpc": "2.0", "method": "foobar", "id": "1"}');
  assertError(r, -32601, '1');
  assert.deepEqual(r.error.data, { method: 'foobar' });
});

test('§7 rpc call with invalid JSON → -32700, id null', async () => {
  assertError(await single('{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]'), -32700, null);
});

test('§7 rpc call with invalid Request object → -32600, id null (not -32602)', async () => {
  assertError(await single('{"jsonrpc": "2.0", "method": 1, "params": "bar"}'), -32600, null);
});

test('§7 rpc call Batch, invalid JSON → one -32700, id null', async () => {
  assertError(
    await single(`[
  {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
  {"jsonrpc": "2.0", "method"
]`),
    -32700,
    null,
  );
});

test('§7 rpc call with an empty Array → one -32600, id null', async () => {
  assertError(await single('[]'), -32600, null);
});

test('§7 rpc call with an invalid Batch (but not empty) [1] → [-32600 id null]', async () => {
  const r = await post(app, '[1]');
  assert.equal(r.status, 200);
  assert.equal(r.json.length, 1);
  assertError(r.json[0], -32600, null);
});

test('§7 rpc call with invalid Batch [1,2,3] → three -32600, id null', async () => {
  const r = await post(app, '[1,2,3]');
  assert.equal(r.status, 200);
  assert.equal(r.json.length, 3);
  for (const x of r.json) assertError(x, -32600, null);
});

test('§7 rpc call Batch (mixed): one reply per non-notification, in order, with the right ids', async () => {
  const r = await post(
    app,
    `[
        {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
        {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
        {"foo": "boo"},
        {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
        {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
    ]`,
  );
  assert.equal(r.status, 200);
  assert.equal(r.json.length, 5, r.body);
  assertError(r.json[0], -32601, '1');
  assertError(r.json[1], -32601, '2');
  assertError(r.json[2], -32600, null);
  assertError(r.json[3], -32601, '5');
  assertError(r.json[4], -32601, '9');
});

test('§7 rpc call Batch (all notifications): nothing, as for a single notification (204)', async () => {
  await nothing(`[
        {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
    ]`);
});
