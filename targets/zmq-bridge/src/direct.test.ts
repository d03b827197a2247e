import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dealer, Request } from 'zeromq';
import { decodeMessage, encodeMessage } from './codec.js';
import { createDirectServer } from './direct.js';
import { ErrorCode } from './errors.js';
import { LOOPBACK_ANY } from './test-helpers.js';

test('REP server: malformed frames get coded error replies and it keeps serving', async (t) => {
  const server = await createDirectServer({ endpoint: LOOPBACK_ANY });
  t.after(() => server.close());
  const sock = new Dealer({ linger: 0, receiveTimeout: 3000 });
  sock.connect(server.endpoint);
  t.after(() => sock.close());
  const ask = async (frames: Buffer[]) => {
    await sock.send([Buffer.alloc(0), ...frames]);
    const [empty, ...reply] = await sock.receive();
    assert.equal(empty?.length, 0);
    return decodeMessage(reply).value as Record<string, unknown>;
  };

  // The original left REP waiting to send after invalid JSON and died on the next recv.
  assert.equal((await ask([Buffer.from('{"payload": ')])).code, ErrorCode.BadJson);
  assert.equal((await ask([Buffer.from([0x05, 0x00])])).code, ErrorCode.UnknownFormat);
  assert.equal((await ask([Buffer.from([0x03, 0x0a, 0x00])])).message, 'unsupported format 0x03 (protobuf); use 0x01 JSON, 0x02 MessagePack or 0x04 raw');
  assert.equal((await ask([Buffer.from([0x04]), Buffer.from('xyz')])).code, ErrorCode.BadJson);
  assert.equal((await ask([Buffer.alloc(0)])).code, ErrorCode.BadFrame);
  const ok = await ask(encodeMessage({ correlation_id: 7, payload: { op: 'sum', data: [1.5, 2.5] } }, 'msgpack'));
  assert.deepEqual([ok.status, ok.result, ok.correlation_id], ['success', 4, 7]);
  assert.equal(server.stats().requests, 6);
});

test('REP server speaks the original headerless JSON to a plain REQ client', async (t) => {
  const server = await createDirectServer({ endpoint: LOOPBACK_ANY, serverId: 'server_1' });
  t.after(() => server.close());
  const req = new Request({ linger: 0, receiveTimeout: 3000 });
  req.connect(server.endpoint);
  t.after(() => req.close());
  await req.send('"HEARTBEAT"');
  const [hb] = await req.receive();
  assert.match(hb?.toString() ?? '', /^\{"status":"heartbeat_ack","timestamp":[\d.]+,"server_id":"server_1"\}$/);
  await req.send(JSON.stringify({ correlation_id: 'L1', payload: { schema_version: 1, matrix: [[1, 2]], model: { name: 'lean', version: '1' } } }));
  const [reply] = await req.receive();
  const r = JSON.parse(reply?.toString() ?? '') as Record<string, unknown>;
  assert.deepEqual([r.status, r.matrix_sum, r.correlation_id], ['success', 3, 'L1']);
});
