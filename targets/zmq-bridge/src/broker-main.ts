import { createBroker } from './broker.js';
import { fail, onShutdown, readOptions, toNumber } from './cli.js';

// Flags or env: --frontend/WB_ZMQ_FRONTEND, --backend/WB_ZMQ_BACKEND, --heartbeat-ms, --liveness.
try {
  const o = readOptions(['frontend', 'backend', 'heartbeat-ms', 'liveness']);
  const broker = await createBroker({
    frontend: o.frontend,
    backend: o.backend,
    heartbeatIntervalMs: toNumber('heartbeat-ms', o['heartbeat-ms']),
    liveness: toNumber('liveness', o.liveness),
  });
  onShutdown(() => broker.close());
  process.stdout.write(`READY broker ${broker.frontend} ${broker.backend}\n`);
} catch (e) {
  fail(e);
}
