import { fail, onShutdown, readOptions, toNumber } from './cli.js';
import { createDirectServer } from './direct.js';

// Flags or env: --endpoint/WB_ZMQ_ENDPOINT (bind), --stall-ms, --server-id.
try {
  const o = readOptions(['endpoint', 'stall-ms', 'server-id']);
  const server = await createDirectServer({
    endpoint: o.endpoint,
    stallMs: toNumber('stall-ms', o['stall-ms']),
    serverId: o['server-id'],
  });
  onShutdown(() => server.close());
  process.stdout.write(`READY direct ${server.endpoint}\n`);
} catch (e) {
  fail(e);
}
