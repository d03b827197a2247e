import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as protoLoader from '@grpc/proto-loader';
import * as grpc from '@grpc/grpc-js';
// @ts-expect-error: plain JS build script, no types
import { descriptorOf } from '../scripts/descriptor.mjs';
import { BRIDGE_DESCRIPTOR } from './bridge-descriptor.js';
import { LOADER_OPTIONS, PROTO_PATH, loadBridge } from './proto.js';

test('the generated descriptor is the .proto as it is now (run scripts/descriptor.mjs after editing the .proto)', () => {
  assert.deepEqual(BRIDGE_DESCRIPTOR, descriptorOf(PROTO_PATH));
});

test('the light-loaded service has every method of the .proto, with the same paths, and its bytes are what proto-loader reads and writes', () => {
  const viaLoader = (grpc.loadPackageDefinition(protoLoader.loadSync(PROTO_PATH, LOADER_OPTIONS)) as any).snakepit.bridge.BridgeService.service as grpc.ServiceDefinition;
  const ours = loadBridge().service;
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(viaLoader).sort());
  for (const [name, m] of Object.entries(viaLoader)) {
    assert.equal(ours[name]!.path, m.path);
    assert.equal(ours[name]!.responseStream, m.responseStream);
  }
  const req = { session_id: 's1', tool_name: 'ping', parameters: { message: { type_url: 'type.googleapis.com/google.protobuf.StringValue', value: Buffer.from('"hi"') } }, metadata: { k: 'v' }, stream: false, binary_parameters: { b: Buffer.from([1, 2, 3]) } };
  const wire = ours.ExecuteTool!.requestSerialize(req);
  assert.deepEqual(wire, viaLoader.ExecuteTool!.requestSerialize(req));
  assert.deepEqual(ours.ExecuteTool!.requestDeserialize(wire), viaLoader.ExecuteTool!.requestDeserialize(wire));
  const res = { success: true, result: { type_url: 'type.googleapis.com/snakepit.map', value: Buffer.from('{}') }, error_message: '', metadata: {}, execution_time_ms: 3, binary_result: Buffer.alloc(0) };
  const back = ours.ExecuteTool!.responseDeserialize(viaLoader.ExecuteTool!.responseSerialize(res)) as typeof res;
  assert.deepEqual(back, viaLoader.ExecuteTool!.responseDeserialize(ours.ExecuteTool!.responseSerialize(res)));
  assert.equal(back.execution_time_ms, 3);
});
