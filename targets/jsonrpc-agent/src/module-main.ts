/**
 * The module process of the seed-003 pipeline: a separate Node process the agent's handler calls
 * over newline-delimited JSON on TCP. Prints `READY module tcp://127.0.0.1:<port>` when listening.
 * Flags: --host (MODULE_HOST, default 127.0.0.1), --port (MODULE_PORT, default 0).
 */
import { fstatSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createModuleServer } from './module/server.js';

const { values } = parseArgs({
  options: { host: { type: 'string' }, port: { type: 'string' } },
  strict: true,
});
const host = values.host ?? process.env.MODULE_HOST ?? '127.0.0.1';
const port = Number(values.port ?? process.env.MODULE_PORT ?? 0);

const server = createModuleServer();
server.listen(port, host, () => {
  const addr = server.address() as AddressInfo;
  process.stdout.write(`READY module tcp://${host.includes(':') ? `[${host}]` : host}:${addr.port}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// Started by an agent with a stdin pipe: when the parent goes away, so do we (no orphans). Only a
// pipe: a stdin of /dev/null (a supervisor's 'ignore') ends at once and must not stop the module.
const stdinIsPipe = ((): boolean => {
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isSocket(); // libuv hands a child a socketpair for 'pipe'
  } catch {
    return false;
  }
})();
if (stdinIsPipe) {
  process.stdin.on('end', stop);
  process.stdin.resume();
}
