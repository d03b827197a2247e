/**
 * The floor server: `node --import tsx src/bare-main.ts [--port 0] [--host 127.0.0.1]` prints
 * `READY bare <address>`; unary ExecuteTool `ping` with no pool behind it. SIGTERM/SIGINT: drain, exit 0.
 */
import { createBareServer } from './bare.js';
import { fail, onShutdown, readOptions, toNumber } from './cli.js';

try {
  const o = readOptions(['host', 'port']);
  const server = await createBareServer({ host: o.host, port: toNumber('port', o.port) });
  onShutdown(() => server.close());
  process.stdout.write(`READY bare ${server.address}\n`);
} catch (e) {
  fail('bare', e);
}
