import { fail, onShutdown, readOptions, toNumber } from './cli.js';
import { createWorker } from './worker.js';

// Flags or env (WB_ZMQ_<FLAG>): --endpoint (broker backend), --heartbeat-ms, --liveness,
// --reconnect-initial-ms, --reconnect-max-ms, --stall-ms (every request), --server-id,
// --stall-signal-ms (SIGUSR2 busies the CPU this long; default 3000), --capacity (requests at once; default 1).
try {
  const o = readOptions([
    'endpoint', 'heartbeat-ms', 'liveness', 'reconnect-initial-ms', 'reconnect-max-ms', 'stall-ms', 'server-id', 'stall-signal-ms', 'capacity',
  ]);
  const worker = createWorker({
    endpoint: o.endpoint,
    heartbeatIntervalMs: toNumber('heartbeat-ms', o['heartbeat-ms']),
    liveness: toNumber('liveness', o.liveness),
    reconnectInitialMs: toNumber('reconnect-initial-ms', o['reconnect-initial-ms']),
    reconnectMaxMs: toNumber('reconnect-max-ms', o['reconnect-max-ms']),
    stallMs: toNumber('stall-ms', o['stall-ms']),
    serverId: o['server-id'],
    capacity: toNumber('capacity', o.capacity),
  });
  onShutdown(() => worker.close());
  const stallMs = toNumber('stall-signal-ms', o['stall-signal-ms']) ?? 3000;
  process.on('SIGUSR2', () => worker.stall(stallMs));
  // Ready once the broker has spoken to us, i.e. we are in its queue (it heartbeats every worker it holds).
  await worker.registered;
  process.stdout.write(`READY worker ${worker.endpoint}\n`);
} catch (e) {
  fail(e);
}
