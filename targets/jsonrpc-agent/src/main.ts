/**
 * Runs the agent: `node --import tsx src/main.ts [--port 0] [--rate-limit off] [--hooks] [--module | --module-url tcp://h:p]`.
 * Prints `READY jsonrpc-agent http://<host>:<port>` once listening; SIGTERM/SIGINT drain in-flight
 * requests (fastify close), stop the module process it spawned (a `--module-url` one is only
 * disconnected: whoever started it stops it), and exit 0.
 */
import type { AddressInfo } from 'node:net';
import { buildAgent } from './agent.js';
import { parseAgentArgs } from './cli.js';
import { createBenchHooks } from './hooks.js';
import { ModuleClient } from './module/client.js';
import { startModuleProcess } from './module/process.js';
import type { ModuleProcess } from './module/process.js';

async function main(): Promise<void> {
  const cfg = parseAgentArgs(process.argv.slice(2));
  const moduleProc: ModuleProcess | null = cfg.module && !cfg.moduleUrl ? await startModuleProcess() : null;
  const moduleClient = cfg.moduleUrl ? await ModuleClient.connect(cfg.moduleUrl.port, cfg.moduleUrl.host) : moduleProc?.client ?? null;
  const app = buildAgent({
    rateLimit: cfg.rateLimit,
    maxRequestSize: cfg.maxRequestSize,
    maxConcurrency: cfg.maxConcurrency,
    requireNonce: cfg.requireNonce,
    hooks: cfg.hooks ? createBenchHooks({ timeoutMs: cfg.hookTimeoutMs }) : null,
    module: moduleClient,
    debug: cfg.debug,
    logger: cfg.log,
  });

  let closing: Promise<void> | null = null;
  const shutdown = () => {
    closing ??= (async () => {
      try {
        await app.close();
        if (moduleProc) await moduleProc.stop();
        else await moduleClient?.close();
      } finally {
        process.exit(0);
      }
    })();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);

  await app.listen({ host: cfg.host, port: cfg.port });
  const { port } = app.server.address() as AddressInfo;
  const host = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
  process.stdout.write(`READY jsonrpc-agent http://${host}:${port}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`jsonrpc-agent failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
