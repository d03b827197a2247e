import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Router } from 'zeromq';
import type { TestContext } from 'node:test';

export const LOOPBACK_ANY = 'tcp://127.0.0.1:0';

/** Poll until check() is truthy; fail after limitMs (a liveness bound, not a speed claim). */
export async function eventually<T>(check: () => T | undefined | false, limitMs = 5000, what = 'condition'): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`Timed out after ${limitMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** A ROUTER on a free loopback port whose every message is handed to onMessage. */
export async function fakeRouter(
  t: TestContext,
  onMessage: (frames: Buffer[], router: Router) => void | Promise<void>,
  endpoint = LOOPBACK_ANY,
): Promise<{ router: Router; endpoint: string }> {
  const router = new Router({ linger: 0 });
  await router.bind(endpoint);
  t.after(() => router.close());
  void (async () => {
    try {
      for await (const frames of router) await onMessage(frames, router);
    } catch {
      // closed
    }
  })();
  return { router, endpoint: router.lastEndpoint as string };
}

export interface Main {
  child: ChildProcess;
  /** The READY line's words after "READY <name>". */
  endpoints: string[];
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

/** Start src/<file> as a real child process and wait for its READY line. */
export async function startMain(t: TestContext, file: string, args: string[], limitMs = 15000): Promise<Main> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url)), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${file} printed no READY line in ${limitMs} ms: ${stderr}`)), limitMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY .*$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    void exited.then((c) => reject(new Error(`${file} exited (${c}) before READY: ${stderr}`)));
  });
  return { child, endpoints: line.split(' ').slice(2), exited };
}
