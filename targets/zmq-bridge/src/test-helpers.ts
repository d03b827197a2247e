import { setTimeout as sleep } from 'node:timers/promises';
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
): Promise<{ router: Router; endpoint: string }> {
  const router = new Router({ linger: 0 });
  await router.bind(LOOPBACK_ANY);
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
