import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AgentError } from '../errors.js';
import { ModuleClient } from './client.js';
import type { ModuleClientOptions } from './client.js';

export interface ModuleProcess {
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  readonly client: ModuleClient;
  /** Close the client, SIGTERM the process and wait for it to exit (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

export interface StartModuleOptions extends ModuleClientOptions {
  startTimeoutMs?: number;
}

const MODULE_MAIN = fileURLToPath(new URL('../module-main.ts', import.meta.url));

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Spawn the module process (src/module-main.ts through tsx), wait for its READY line, connect a client. */
export async function startModuleProcess(opts: StartModuleOptions = {}): Promise<ModuleProcess> {
  const tsx = import.meta.resolve('tsx');
  const child = spawn(process.execPath, ['--import', tsx, MODULE_MAIN, '--port', '0'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const startTimeoutMs = opts.startTimeoutMs ?? 15_000;
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new AgentError('WB_ERR_MODULE_START', `Module process printed no READY line within ${startTimeoutMs} ms`)),
        startTimeoutMs,
      );
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        out += chunk;
        const m = /READY module tcp:\/\/[^:]+:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new AgentError('WB_ERR_MODULE_START', `Module process exited (code ${String(code)}) before READY`));
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const client = await ModuleClient.connect(port, '127.0.0.1', opts);
  let stopping: Promise<void> | null = null;
  return {
    pid: child.pid!,
    port,
    url: `tcp://127.0.0.1:${port}`,
    client,
    stop() {
      stopping ??= (async () => {
        await client.close();
        child.kill('SIGTERM');
        if (!(await waitExit(child, 5000))) {
          child.kill('SIGKILL');
          await waitExit(child, 5000);
        }
      })();
      return stopping;
    },
  };
}
