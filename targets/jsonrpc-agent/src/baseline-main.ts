/**
 * The benchmark ceiling: a bare fastify 5 server, no plugins, one route `/` (GET, and POST with the
 * default JSON body parser) answering `{"hello":"world"}` through a response schema.
 * Prints `READY baseline http://<host>:<port>`; flags --host/--port (HOST/PORT), port 0 allowed.
 */
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { host: { type: 'string' }, port: { type: 'string' } }, strict: true });
const host = values.host ?? process.env.HOST ?? '127.0.0.1';
const port = Number(values.port ?? process.env.PORT ?? 8001);

const app = Fastify({ logger: false });
const schema = { response: { 200: { type: 'object', properties: { hello: { type: 'string' } } } } };
const body = { hello: 'world' };
app.route({ method: ['GET', 'POST'], url: '/', schema, handler: async () => body });

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  app.close().finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

await app.listen({ host, port });
const addr = app.server.address() as AddressInfo;
process.stdout.write(`READY baseline http://${host}:${addr.port}\n`);
