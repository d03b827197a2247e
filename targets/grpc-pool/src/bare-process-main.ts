/**
 * The start-up floor: a process that loads @grpc/grpc-js, binds a port (0 = OS-assigned) with no
 * service, does the ready-file handshake when SNAKEPIT_READY_FILE is set, and prints
 * `READY bare-process <address>`. No proto is loaded and no pool is pinged. SIGTERM/SIGINT: exit 0.
 */
import * as grpc from '@grpc/grpc-js';
import { fail, onShutdown, readOptions, toNumber } from './cli.js';
import { bindServer, formatAddress, LOOPBACK } from './grpc-server.js';
import { writeReadyFile } from './ready-file.js';

try {
  const o = readOptions(['host', 'port', 'elixir-address', 'adapter', 'snakepit-run-id', 'worker-id']);
  const host = o.host ?? LOOPBACK;
  const server = new grpc.Server();
  const port = await bindServer(server, host, toNumber('port', o.port) ?? 0);
  if (process.env.SNAKEPIT_READY_FILE) await writeReadyFile(process.env.SNAKEPIT_READY_FILE, port);
  onShutdown(() => new Promise<void>((resolve) => server.tryShutdown(() => resolve())));
  process.stdout.write(`READY bare-process ${formatAddress(host, port)}\n`);
} catch (e) {
  fail('bare-process', e);
}
