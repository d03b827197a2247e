import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { startPoolService, startWorker } from './test-helpers.js';
import { createToolClient } from './tool-client.js';

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
