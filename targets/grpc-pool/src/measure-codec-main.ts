/**
 * The small measurement behind the README's choice of @grpc/proto-loader over static code:
 * `node --import tsx src/measure-codec-main.ts [--n 20000]`. Encode+decode cost per message of a
 * `ping` ExecuteToolRequest and its ExecuteToolResponse, through proto-loader's serializers (what
 * grpc-js runs) and through protobufjs Type.encode/decode on message objects (what pbjs static
 * code does), plus the one-off cost of loading the definition. Prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import * as protoLoader from '@grpc/proto-loader';
import { encodeParam, encodeResult } from './any.js';
import { readOptions, toNumber } from './cli.js';
import { LOADER_OPTIONS, PROTO_PATH } from './proto.js';

const require = createRequire(import.meta.url);
const protobuf = require('protobufjs') as typeof import('protobufjs');
const n = toNumber('n', readOptions(['n']).n) ?? 20_000;

const req = { session_id: 'pool_worker_1_session', tool_name: 'ping', parameters: { message: encodeParam('hello') }, metadata: {}, stream: false, binary_parameters: {} };
const res = { success: true, result: encodeResult({ message: 'hello', timestamp: '1733060000.123' }), error_message: '', metadata: {}, execution_time_ms: 1, binary_result: Buffer.alloc(0) };

function perCallUs(fn: () => void): number {
  for (let i = 0; i < Math.min(n, 2000); i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return ((performance.now() - t0) * 1000) / n;
}

let t = performance.now();
const def = protoLoader.loadSync(PROTO_PATH, LOADER_OPTIONS);
const loaderLoadMs = performance.now() - t;
const m = (def['snakepit.bridge.BridgeService'] as protoLoader.ServiceDefinition).ExecuteTool!;

t = performance.now();
const root = new protobuf.Root().loadSync(PROTO_PATH, { keepCase: true });
const reflectLoadMs = performance.now() - t;
const Req = root.lookupType('snakepit.bridge.ExecuteToolRequest');
const Res = root.lookupType('snakepit.bridge.ExecuteToolResponse');
const reqMsg = Req.fromObject(req);
const resMsg = Res.fromObject(res);

const loader = {
  request: perCallUs(() => m.requestDeserialize(m.requestSerialize(req))),
  response: perCallUs(() => m.responseDeserialize(m.responseSerialize(res))),
};
const staticLike = {
  request: perCallUs(() => Req.decode(Req.encode(reqMsg).finish())),
  response: perCallUs(() => Res.decode(Res.encode(resMsg).finish())),
};
process.stdout.write(`${JSON.stringify({ n, loadMs: { protoLoader: +loaderLoadMs.toFixed(1), protobufjsReflection: +reflectLoadMs.toFixed(1) }, encodeDecodeUs: { protoLoader: loader, protobufjsMessages: staticLike } })}\n`);
