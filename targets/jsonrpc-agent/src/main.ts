/**
 * Runs the agent: `node --import tsx src/main.ts [--port 0] [--rate-limit off] [--hooks] [--module | --module-url tcp://h:p]`.
 * Prints `READY jsonrpc-agent http://<host>:<port>` once listening; SIGTERM/SIGINT drain in-flight
 * requests (fastify close), stop the module process it spawned (a `--module-url` one is only
 * disconnected: whoever started it stops it), and exit 0.
 */
import type { AddressInfo } from 'node:net';
import { buildAgent } from './agent.js';
import { AgentError } from './errors.js';
import { parseAgentArgs } from './cli.js';
import { createBenchHooks } from './hooks.js';
import { ModuleClient } from './module/client.js';
import { startModuleProcess } from './module/process.js';
import type { ModuleProcess } from './module/process.js';

async function main(): Promise<void> {
  const cfg = parseAgentArgs(process.argv.slice(2));
  const moduleProc: ModuleProcess | null = cfg.module && !cfg.moduleUrl ? await startModuleProcess() : null;
  const moduleClient = cfg.moduleUrl ? await connectModule(cfg.moduleUrl) : moduleProc?.client ?? null;
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
  // A module someone else started may go away; calls would then fail one by one with nobody told.
  // Exiting says so at once, to whoever supervises this agent.
  void moduleClient?.lost.then(() => {
    if (closing || !cfg.moduleUrl) return;
    const lost = new AgentError('WB_ERR_MODULE_UNAVAILABLE', `the module at tcp://${cfg.moduleUrl.host}:${cfg.moduleUrl.port} closed the connection`, undefined, {
      hint: 'Restart it, then this agent.',
    });
    process.stderr.write(`jsonrpc-agent: ${String(lost)}\n`);
    process.exit(1);
  });
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

/** Connected and answering: any TCP listener would accept a connection, so one echo proves it is a module. */
async function connectModule(at: { host: string; port: number }): Promise<ModuleClient> {
  const client = await ModuleClient.connect(at.port, at.host);
  try {
    await client.call('echo', 'ping', 2000);
  } catch (err) {
    await client.close();
    throw new AgentError('WB_ERR_MODULE_UNAVAILABLE', `tcp://${at.host}:${at.port} did not answer an echo call (${(err as Error).message})`, undefined, {
      hint: 'Is module-main.ts listening there? It prints its URL in its READY line.',
    });
  }
  return client;
}

main().catch((err: unknown) => {
  // A coded error is one line that says what to do; anything else is a bug, and its stack helps.
  const text = err instanceof AgentError ? String(err) : (err as Error)?.stack ?? String(err);
  process.stderr.write(`jsonrpc-agent failed to start: ${text}\n`);
  process.exit(1);
});
