import { AgentError } from './errors.js';
import type { Envelope } from './schemas/envelope.js';
import type { Manifest } from './schemas/manifest.js';

/** What a hook sees. `state` is shared by the before and after hooks of one request. */
export interface HookContext {
  readonly request: Envelope;
  /** The handler's reply; null in before hooks. */
  response: Envelope | null;
  readonly manifest: Manifest;
  readonly state: Record<string, unknown>;
}

/** A before/after hook (seed-003 pipeline). Throwing rejects the request with -32603. */
export interface Hook {
  readonly name: string;
  /** Per-hook limit; falls back to HooksConfig.defaultTimeoutMs. */
  readonly timeoutMs?: number;
  run(ctx: HookContext): void | Promise<void>;
}

export interface HooksConfig {
  before?: Hook[];
  after?: Hook[];
  defaultTimeoutMs?: number;
}

export const DEFAULT_HOOK_TIMEOUT_MS = 1000;

/**
 * Settle `p` or fail after `ms`. The timer is cleared on every outcome, so a finished hook never
 * leaves a pending timer behind (a leak the seed's pipeline tests look for).
 */
export function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Run hooks one after another; synchronous hooks skip the timer entirely. */
export async function runHooks(hooks: readonly Hook[], ctx: HookContext, defaultTimeoutMs: number): Promise<void> {
  for (const hook of hooks) {
    let out: void | Promise<void>;
    try {
      out = hook.run(ctx);
    } catch (err) {
      throw hookFailed(hook, err);
    }
    if (out !== undefined && typeof (out as Promise<void>).then === 'function') {
      const ms = hook.timeoutMs ?? defaultTimeoutMs;
      try {
        await withTimeout(
          out,
          ms,
          () =>
            new AgentError(
              'WB_ERR_HOOK_TIMEOUT',
              `Hook '${hook.name}' did not finish within ${ms} ms`,
            ),
        );
      } catch (err) {
        throw err instanceof AgentError ? err : hookFailed(hook, err);
      }
    }
  }
}

function hookFailed(hook: Hook, err: unknown): AgentError {
  return new AgentError(
    'WB_ERR_HOOK_FAILED',
    `Hook '${hook.name}' threw: ${(err as Error)?.message ?? String(err)}`,
    err,
    { cause: err },
  );
}

/**
 * The hooks the benchmark's "with hooks" scenario runs: a synchronous guard, an async audit start
 * (await-bound, so the timeout path is exercised) and an async audit finish that tallies replies.
 */
export function createBenchHooks(opts: { timeoutMs?: number } = {}): HooksConfig & { stats: { completed: number } } {
  const stats = { completed: 0 };
  return {
    defaultTimeoutMs: opts.timeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS,
    stats,
    before: [
      {
        name: 'require-skill-id',
        run(ctx) {
          if (typeof ctx.request.payload.skill_id !== 'string') throw new Error('payload.skill_id must be a string');
        },
      },
      {
        name: 'audit-start',
        async run(ctx) {
          ctx.state.startedAt = performance.now();
        },
      },
    ],
    after: [
      {
        name: 'audit-finish',
        async run(ctx) {
          if (ctx.response !== null && typeof ctx.state.startedAt === 'number') stats.completed++;
        },
      },
    ],
  };
}
