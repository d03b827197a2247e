/**
 * The pool as a process: `node --import tsx src/pool-main.ts --port 0 --size 4 [--startup batch]`.
 * Serves its BridgeService (the front endpoint: ExecuteTool / ExecuteStreamingTool go through
 * the pool) and prints `READY pool <address>` once every worker is ready. `--events on` also prints
 * one `EVENT <json>` line per pool event. SIGTERM/SIGINT: graceful shutdown, exit 0.
 * Every flag also reads WB_GRPC_<FLAG>; see the README for the list.
 */
import { fail, onShutdown, readOptions, toCommand, toNumber } from './cli.js';
import { PoolError, PoolErrorCode } from './errors.js';
import { createPool } from './pool.js';
import type { AffinityMode, StartupStrategy } from './pool-options.js';
import type { TimeoutProfileName } from './timeouts.js';
import { parseSessionMode } from './worker.js';

function onOff(name: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === 'on' || v === 'true') return true;
  if (v === 'off' || v === 'false') return false;
  throw new PoolError(PoolErrorCode.BadOption, `--${name} must be on or off, got ${v}`, `fix --${name}`);
}

try {
  const o = readOptions([
    'host', 'port', 'size', 'startup', 'batch-size', 'batch-delay-ms', 'ready-timeout-ms', 'max-queue', 'queue-timeout-ms',
    'timeout-profile', 'affinity', 'heartbeat', 'heartbeat-interval-ms', 'heartbeat-timeout-ms', 'heartbeat-max-missed',
    'worker-ttl-ms', 'worker-max-requests', 'memory-threshold-mb', 'recycle-check-ms', 'session-mode', 'worker-command',
    'shutdown-ms', 'events', 'max-message-bytes',
  ]);
  const n = (name: string) => toNumber(name, o[name]);
  const heartbeat = {
    ...(onOff('heartbeat', o.heartbeat) === undefined ? {} : { enabled: onOff('heartbeat', o.heartbeat)! }),
    ...(n('heartbeat-interval-ms') === undefined ? {} : { intervalMs: n('heartbeat-interval-ms')! }),
    ...(n('heartbeat-timeout-ms') === undefined ? {} : { timeoutMs: n('heartbeat-timeout-ms')! }),
    ...(n('heartbeat-max-missed') === undefined ? {} : { maxMissed: n('heartbeat-max-missed')! }),
  };
  const events = onOff('events', o.events) ?? false;
  const pool = await createPool({
    host: o.host, port: n('port') ?? 50051, size: n('size'),
    startup: o.startup as StartupStrategy | undefined, startupBatchSize: n('batch-size'), startupBatchDelayMs: n('batch-delay-ms'),
    readyTimeoutMs: n('ready-timeout-ms'), maxQueue: n('max-queue'), queueTimeoutMs: n('queue-timeout-ms'),
    timeoutProfile: o['timeout-profile'] as TimeoutProfileName | undefined, affinity: o.affinity as AffinityMode | undefined,
    heartbeat, workerTtlMs: n('worker-ttl-ms'), workerMaxRequests: n('worker-max-requests'), memoryThresholdMb: n('memory-threshold-mb'),
    recycleCheckMs: n('recycle-check-ms'), sessionMode: parseSessionMode(o['session-mode']), command: toCommand(o['worker-command']),
    shutdownTimeoutMs: n('shutdown-ms'), maxMessageBytes: n('max-message-bytes'),
    onWorkerOutput: (id, _stream, text) => process.stderr.write(text.split('\n').filter(Boolean).map((l) => `[${id}] ${l}\n`).join('')),
  });
  if (events) {
    for (const e of pool.events()) process.stdout.write(`EVENT ${JSON.stringify(e)}\n`);
    pool.on('event', (e) => process.stdout.write(`EVENT ${JSON.stringify(e)}\n`));
  }
  onShutdown(() => pool.close());
  process.stdout.write(`READY pool ${pool.address}\n`);
} catch (e) {
  fail('pool', e);
}
