/**
 * A pool worker: `node --import tsx src/worker-main.ts --elixir-address 127.0.0.1:50051 [--port 0]
 * [--session-mode faithful|cached] [--protocol grpc|stdio]`. Env: SNAKEPIT_READY_FILE,
 * SNAKEPIT_HEARTBEAT_CONFIG, WB_GRPC_<FLAG>. Accepts and ignores --adapter, --snakepit-run-id.
 * gRPC: connection_test to the pool, bind, ready file, `READY worker <address>`; SIGTERM/SIGINT
 * drain in-flight calls (up to --shutdown-ms, 6000) and exit 0. A dependent heartbeat loop that
 * loses the pool sends SIGTERM to this process (exit 70 if it is still alive 5 s later).
 * stdio: the legacy direct protocol on stdin/stdout (4-byte length frames); exits 0 at end of stdin.
 */
import { fail, onShutdown, readOptions, toNumber } from './cli.js';
import { PoolError, PoolErrorCode } from './errors.js';

try {
  const o = readOptions(['elixir-address', 'host', 'port', 'session-mode', 'protocol', 'worker-id', 'adapter', 'snakepit-run-id', 'shutdown-ms', 'max-message-bytes']);
  const workerId = o['worker-id'] ?? `worker_${process.pid}`;
  if (o.protocol === 'stdio') {
    // msgpackr (and its native half) load only in stdio mode: ~20 ms of every gRPC worker's start.
    const { runStdioWorker } = await import('./stdio-worker.js');
    const done = runStdioWorker(process.stdin, process.stdout, { workerId });
    process.once('SIGTERM', () => process.exit(0));
    process.once('SIGINT', () => process.exit(0));
    await done;
    process.exit(0);
  }
  if (o.protocol !== undefined && o.protocol !== 'grpc') throw new PoolError(PoolErrorCode.BadOption, `--protocol must be grpc or stdio, got ${o.protocol}`, 'fix --protocol');
  // gRPC modules load only in gRPC mode: the stdio worker's start-up does not pay for them.
  const { createWorker, parseSessionMode } = await import('./worker.js');
  if (!o['elixir-address']) throw new PoolError(PoolErrorCode.BadOption, '--elixir-address is required', 'pass the pool address, e.g. --elixir-address 127.0.0.1:50051');
  const worker = await createWorker({
    poolAddress: o['elixir-address'], host: o.host, port: toNumber('port', o.port), workerId,
    sessionMode: parseSessionMode(o['session-mode'] ?? process.env.WB_GRPC_SESSION_MODE),
    maxMessageBytes: toNumber('max-message-bytes', o['max-message-bytes']),
  });
  onShutdown(() => worker.close(toNumber('shutdown-ms', o['shutdown-ms']) ?? 6000));
  process.stdout.write(`READY worker ${worker.address}\n`);
} catch (e) {
  fail('worker', e);
}
