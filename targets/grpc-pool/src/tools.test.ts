import assert from 'node:assert/strict';
import http2 from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import { test } from 'node:test';
import type { ToolChunk } from './messages.js';
import { BINARY_THRESHOLD_BYTES, encodeParam } from './any.js';
import { unary } from './proto.js';
import { startPoolService, startWorker } from './test-helpers.js';
import { createToolClient } from './tool-client.js';
import { toolRequest } from './reply.js';

async function setup(t: import('node:test').TestContext) {
  const pool = await startPoolService(t);
  const worker = await startWorker(t, { poolAddress: pool.address });
  const client = createToolClient(worker.address);
  t.after(() => client.close());
  return { pool, worker, client };
}

test('worker tools: Ping, ping, echo, compute (JSON and float32 bytes), sleep', async (t) => {
  const { client } = await setup(t);
  assert.equal(await client.ping('hi'), 'Pong from Python: hi');

  const ping = await client.execute('ping', {});
  assert.equal(ping.success, true);
  const r = ping.result as { message: string; timestamp: string };
  assert.equal(r.message, 'pong');
  assert.match(r.timestamp, /^\d+(\.\d+)?$/, 'epoch float as a string');
  assert.equal(((await client.execute('ping', { message: 'x' })).result as { message: string }).message, 'x');

  const raw = await unary<{ result: { type_url: string } }>(client.raw, 'ExecuteTool', toolRequest('ping'));
  assert.equal(raw.result.type_url, 'type.googleapis.com/snakepit.map');

  assert.deepEqual((await client.execute('echo', { a: 1, b: [true, 'x'] })).result, { echoed: { a: 1, b: [true, 'x'] } });
  assert.equal((await client.execute('compute', { op: 'dot', data: [1, 2, 3], other: [4, 5, 6] })).result, 32);
  assert.equal((await client.execute('compute', { op: 'mean', data: [1, 2, 3, 6] })).result, 3);
  const f32 = Buffer.from(new Float32Array([3, 4]).buffer);
  assert.equal((await client.execute('compute', { op: 'norm' }, { binary: { data: f32 } })).result, 5);
  assert.deepEqual((await client.execute('sleep', { ms: 20 })).result, { slept_ms: 20 });
});

test('worker tools: binary results over 10,240 bytes travel in binary_result, smaller ones in the JSON result', async (t) => {
  const { client } = await setup(t);
  const big = Buffer.alloc(BINARY_THRESHOLD_BYTES + 1, 7);
  const r = await client.execute('binary', {}, { binary: { data: big } });
  assert.equal(r.success, true);
  assert.deepEqual(r.result, { size: big.length });
  assert.ok(r.binary?.equals(big));
  const raw = await unary<{ result: { type_url: string } }>(client.raw, 'ExecuteTool', toolRequest('binary', { size: 20_000 }));
  assert.equal(raw.result.type_url, 'type.googleapis.com/snakepit.binary.binary');
  const small = await client.execute('binary', { size: 10 });
  assert.equal(small.binary, null);
  assert.deepEqual(small.result, { size: 10, base64: Buffer.alloc(10, 0xab).toString('base64') });
});

test('worker tools: stream sends n chunks <tool>-<n> then an empty final chunk', async (t) => {
  const { client } = await setup(t);
  const chunks: ToolChunk[] = [];
  for await (const c of client.stream('stream', { n: 3 })) chunks.push(c);
  assert.deepEqual(chunks.map((c) => c.chunk_id), ['stream-1', 'stream-2', 'stream-3', 'stream-4']);
  assert.deepEqual(chunks.slice(0, 3).map((c) => JSON.parse(c.data.toString())), [{ i: 1, of: 3 }, { i: 2, of: 3 }, { i: 3, of: 3 }]);
  assert.deepEqual(chunks.map((c) => c.is_final), [false, false, false, true]);
  assert.equal(chunks[3]!.data.length, 0);
  // A unary tool called on the streaming RPC: its result as one chunk.
  const one: ToolChunk[] = [];
  for await (const c of client.stream('echo', { z: 1 })) one.push(c);
  assert.deepEqual(JSON.parse(one[0]!.data.toString()), { echoed: { z: 1 } });
  assert.equal(one.length, 2);
});

test('bad input: unknown tool, wrong types, invalid JSON, pickle → success=false with a JSON error_message; the worker keeps serving', async (t) => {
  const { client } = await setup(t);
  const unknown = await client.execute('nope', {});
  assert.equal(unknown.success, false);
  assert.equal(unknown.error?.type, 'ValueError');
  assert.match(String(unknown.error?.message), /Unknown tool: nope/);
  assert.deepEqual((unknown.error?.context as Record<string, unknown>).tool_name, 'nope');
  assert.ok(Array.isArray(unknown.error?.stacktrace));

  for (const [tool, params] of [['sleep', { ms: 'soon' }], ['compute', { data: 'abc' }], ['compute', { op: 'dot', data: [1], other: [1, 2] }], ['compute', { data: [1, 'x'] }], ['stream', { n: 3 }], ['sleep', { ms: -1 }]] as const) {
    const r = await client.execute(tool, params);
    assert.equal(r.success, false, `${tool} ${JSON.stringify(params)}`);
    assert.equal(r.error?.type, 'TypeError', `${tool} ${JSON.stringify(params)}: ${JSON.stringify(r.error)}`);
  }
  const badJson = await unary<{ success: boolean; error_message: string }>(client.raw, 'ExecuteTool', {
    ...toolRequest('echo'), parameters: { a: { type_url: encodeParam(1).type_url, value: Buffer.from('{nope') } },
  });
  assert.equal(badJson.success, false);
  assert.equal(JSON.parse(badJson.error_message).type, 'SyntaxError');
  const pickle = await client.execute('binary', {}, { binary: { data: Buffer.from([1]) }, metadata: { 'binary_format:data': 'pickle' } });
  assert.equal(pickle.success, false);
  assert.equal((await client.execute('ping', {})).success, true);
});

/** One raw HTTP/2 gRPC request: the grpc-status it ends with. */
function rawCall(port: number, path: string, body: Buffer): Promise<{ status: string | undefined; message: string | undefined }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
    let status: string | undefined;
    let message: string | undefined;
    const take = (h: http2.IncomingHttpHeaders) => {
      status ??= h['grpc-status'] as string | undefined;
      message ??= h['grpc-message'] as string | undefined;
    };
    req.on('response', take);
    req.on('trailers', take);
    req.on('data', () => undefined);
    req.on('end', () => {
      session.close();
      resolve({ status, message });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function frame(payload: Buffer): Buffer {
  const h = Buffer.alloc(5);
  h.writeUInt32BE(payload.length, 1);
  return Buffer.concat([h, payload]);
}

test('a malformed protobuf body on a raw HTTP/2 stream gets an error status; the worker keeps serving', async (t) => {
  const pool = await startPoolService(t);
  const w = await startWorker(t, { poolAddress: pool.address });
  // Field 15 with wire type 7, which does not exist.
  const r = await rawCall(w.port, '/snakepit.bridge.BridgeService/ExecuteTool', frame(Buffer.from([0x7f])));
  assert.equal(r.status, String(grpc.status.INTERNAL), `status ${r.status} ${r.message}`);
  // Field 3 (a parameters map entry) declared 2 bytes long, holding a varint cut short.
  const truncated = await rawCall(w.port, '/snakepit.bridge.BridgeService/ExecuteTool', frame(Buffer.from([0x1a, 0x02, 0xff, 0xff])));
  assert.equal(truncated.status, String(grpc.status.INTERNAL));
  const unknownMethod = await rawCall(w.port, '/snakepit.bridge.BridgeService/Nope', frame(Buffer.alloc(0)));
  assert.equal(unknownMethod.status, String(grpc.status.UNIMPLEMENTED));
  const client = createToolClient(w.address);
  t.after(() => client.close());
  assert.equal((await client.execute('ping', {})).success, true);
});

test('a message over the size limit is refused with RESOURCE_EXHAUSTED; the worker keeps serving', async (t) => {
  const pool = await startPoolService(t);
  const w = await startWorker(t, { poolAddress: pool.address, maxMessageBytes: 64 * 1024 });
  const client = createToolClient(w.address, 4 * 1024 * 1024);
  t.after(() => client.close());
  await assert.rejects(client.execute('binary', {}, { binary: { data: Buffer.alloc(128 * 1024) } }), (e: any) => e.code === grpc.status.RESOURCE_EXHAUSTED);
  // A reply over the limit: the worker refuses to send it.
  await assert.rejects(client.execute('binary', { size: 100 * 1024 }), (e: any) => e.code === grpc.status.RESOURCE_EXHAUSTED);
  assert.equal((await client.execute('binary', {}, { binary: { data: Buffer.alloc(32 * 1024) } })).success, true);
});
