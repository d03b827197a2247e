import type * as grpc from '@grpc/grpc-js';
import { encodeResult } from './any.js';
import { bindServer, createBridgeServer, formatAddress, LOOPBACK, shutdownServer } from './grpc-server.js';
import type { ExecuteToolRequest, ExecuteToolResponse } from './messages.js';
import { timestampNow } from './proto.js';

export interface BareServerOptions {
  host?: string;
  /** Default 0: OS-assigned. */
  port?: number;
  maxMessageBytes?: number;
}

export interface BareServer {
  readonly address: string;
  readonly port: number;
  stats(): { calls: number };
  close(graceMs?: number): Promise<void>;
}

/**
 * The floor: one bare grpc-js server answering unary ExecuteTool `ping` (the same reply as the
 * worker's tool) and Ping, with no pool, no session call, no adapter. Other tools get success=false.
 */
export async function createBareServer(o: BareServerOptions = {}): Promise<BareServer> {
  let calls = 0;
  const handlers: grpc.UntypedServiceImplementation = {
    Ping: ((call: grpc.ServerUnaryCall<{ message: string }, unknown>, cb: grpc.sendUnaryData<unknown>) =>
      cb(null, { message: `pong: ${call.request.message}`, server_time: timestampNow() })) as grpc.handleUnaryCall<any, any>,
    ExecuteTool: ((call: grpc.ServerUnaryCall<ExecuteToolRequest, ExecuteToolResponse>, cb: grpc.sendUnaryData<ExecuteToolResponse>) => {
      calls++;
      const ok = call.request.tool_name === 'ping';
      const message = ok && call.request.parameters.message ? JSON.parse(call.request.parameters.message.value.toString()) as unknown : 'pong';
      cb(null, {
        success: ok, error_message: ok ? '' : JSON.stringify({ type: 'ValueError', message: `Unknown tool: ${call.request.tool_name}` }),
        result: ok ? encodeResult({ message, timestamp: String(Date.now() / 1000) }) : null,
        metadata: {}, execution_time_ms: 0, binary_result: Buffer.alloc(0),
      });
    }) as grpc.handleUnaryCall<any, any>,
  };
  const server = createBridgeServer(handlers, o.maxMessageBytes);
  const host = o.host ?? LOOPBACK;
  const port = await bindServer(server, host, o.port ?? 0);
  return { address: formatAddress(host, port), port, stats: () => ({ calls }), close: (graceMs = 6000) => shutdownServer(server, graceMs) };
}
