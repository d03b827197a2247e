import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { isPoolError, PoolErrorCode } from './errors.js';
import { createStdioClient } from './stdio-client.js';
import { decodeBody, encodeBody, encodeFrame, FrameDecoder, loadMsgpack } from './stdio-framing.js';
import type { StdioProtocol } from './stdio-framing.js';
import { runStdioWorker, selectProtocol } from './stdio-worker.js';

test('framing: 4-byte big-endian length; frames split and joined across chunks; oversize and 0x83 bodies refused', async () => {
  await loadMsgpack();
  const a = encodeFrame(Buffer.from('hello'));
  assert.deepEqual([...a.subarray(0, 4)], [0, 0, 0, 5]);
  const both = Buffer.concat([a, encodeFrame(Buffer.from('!'))]);
  const d = new FrameDecoder();
  assert.deepEqual(d.push(both.subarray(0, 3)), []);
  assert.deepEqual(d.push(both.subarray(3, 8)).map(String), []);
  assert.deepEqual(d.push(both.subarray(8)).map(String), ['hello', '!']);
  assert.throws(() => new FrameDecoder(10).push(encodeFrame(Buffer.alloc(11))), (e: unknown) => isPoolError(e, PoolErrorCode.BadFrame));
  assert.throws(() => decodeBody(Buffer.from([0x83, 0x68, 0x00]), 'msgpack'), (e: unknown) => isPoolError(e, PoolErrorCode.BadFrame) && /0x83/.test(e.message));
  assert.throws(() => decodeBody(Buffer.from('{nope'), 'json'), (e: unknown) => isPoolError(e, PoolErrorCode.BadFrame));
  assert.deepEqual(decodeBody(encodeBody({ a: [1, 'x'] }, 'msgpack'), 'msgpack'), { a: [1, 'x'] });
});

test('negotiation: the preferred protocol if shared, else the first shared one, else JSON; not a negotiation → none', () => {
  assert.equal(selectProtocol({ type: 'protocol_negotiation', supported: ['msgpack', 'json'], preferred: 'msgpack' }), 'msgpack');
  assert.equal(selectProtocol({ type: 'protocol_negotiation', supported: ['json', 'msgpack'], preferred: 'cbor' }), 'json');
  assert.equal(selectProtocol({ type: 'protocol_negotiation', supported: ['cbor'], preferred: 'cbor' }), 'json');
  assert.equal(selectProtocol({ type: 'protocol_negotiation', supported: ['msgpack', 'json'], preferred: 'msgpack' }, ['json']), 'json');
  assert.equal(selectProtocol({ id: 1, command: 'ping' }), undefined);
});

/** An in-process stdio worker on a pair of pipes; send one frame, read the replies. */
function pipes() {
  const input = new PassThrough();
  const output = new PassThrough();
  const done = runStdioWorker(input, output, { workerId: 'w' });
  const decoder = new FrameDecoder();
  const bodies: Buffer[] = [];
  output.on('data', (c: Buffer) => bodies.push(...decoder.push(c)));
  const next = async (): Promise<Buffer> => {
    while (bodies.length === 0) await new Promise((r) => setTimeout(r, 5));
    return bodies.shift()!;
  };
  return { input, done, next, send: (msg: unknown, p: StdioProtocol) => input.write(encodeFrame(encodeBody(msg, p))) };
}

test('stdio worker without negotiation speaks JSON; bad requests get error replies and it keeps serving', async () => {
  const w = pipes();
  w.send({ id: 1, command: 'ping', args: { x: 1 } }, 'json');
  const ping = JSON.parse(String(await w.next()));
  assert.equal(ping.id, 1);
  assert.equal(ping.success, true);
  assert.equal(ping.result.status, 'ok');
  assert.deepEqual(ping.result.echo, { x: 1 });
  assert.equal(ping.result.worker_id, 'w');
  w.send({ id: -1, command: 'ping' }, 'json');
  assert.match(JSON.parse(String(await w.next())).error, /non-negative integer/);
  w.send({ id: 2, command: 'compute', args: { data: 'x' } }, 'json');
  const bad = JSON.parse(String(await w.next()));
  assert.deepEqual([bad.id, bad.success], [2, false]);
  assert.match(bad.error, /^TypeError: /);
  w.input.write(encodeFrame(Buffer.from([0x83, 1])));
  assert.match(JSON.parse(String(await w.next())).error, /Erlang external term/);
  w.send({ id: 3, command: 'echo', args: { a: 1 } }, 'json');
  assert.deepEqual(JSON.parse(String(await w.next())).result, { echoed: { a: 1 } });
  w.input.end();
  await w.done;
});

test('stdio worker process: msgpack negotiated, the same tools, binary data, errors, timeouts', { timeout: 60_000 }, async (t) => {
  const client = await createStdioClient();
  t.after(() => client.close());
  assert.equal(client.protocol, 'msgpack');
  const ping = (await client.call('ping', { n: 1 })) as Record<string, unknown>;
  assert.equal(ping.status, 'ok');
  assert.deepEqual(ping.echo, { n: 1 });
  assert.equal(await client.call('compute', { op: 'dot', data: [1, 2], other: [3, 4] }), 11);
  assert.equal(await client.call('compute', { op: 'sum', data: Buffer.from(new Float32Array([1, 2, 3]).buffer) }), 6);
  const big = Buffer.alloc(20_000, 3);
  const bin = (await client.call('binary', { data: big })) as { size: number; data: Uint8Array };
  assert.equal(bin.size, big.length);
  assert.ok(Buffer.from(bin.data).equals(big));
  await assert.rejects(client.call('nope'), (e: unknown) => isPoolError(e, PoolErrorCode.ToolFailed) && /Unknown tool: nope/.test(e.message));
  await assert.rejects(client.call('stream', { n: 2 }), (e: unknown) => isPoolError(e, PoolErrorCode.ToolFailed) && /no streams/.test(e.message));
  await assert.rejects(client.call('sleep', { ms: 500 }, 50), (e: unknown) => isPoolError(e, PoolErrorCode.CallTimeout));
  assert.deepEqual(await client.call('echo', { ok: true }), { echoed: { ok: true } });
});

test('stdio worker: a negotiation preferring json gets JSON replies; msgpack after a msgpack negotiation', async () => {
  for (const preferred of ['json', 'msgpack'] as const) {
    const w = pipes();
    w.send({ type: 'protocol_negotiation', supported: ['msgpack', 'json'], preferred, timestamp: new Date().toISOString() }, 'json');
    const selected = JSON.parse(String(await w.next()));
    assert.deepEqual([selected.type, selected.protocol], ['protocol_selected', preferred], 'the reply itself is always JSON');
    w.send({ id: 7, command: 'binary', args: { size: 20_000 } }, preferred);
    const r = decodeBody(await w.next(), preferred) as { id: number; result: { size: number; base64?: string; data?: Uint8Array } };
    assert.equal(r.id, 7);
    assert.equal(r.result.size, 20_000);
    assert.equal(preferred === 'json' ? Buffer.from(r.result.base64!, 'base64').length : r.result.data!.length, 20_000);
    w.input.end();
    await w.done;
  }
});
