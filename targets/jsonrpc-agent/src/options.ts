import type { FastifyServerOptions } from 'fastify';
import { AgentError } from './errors.js';
import { HandlerRegistry, createDefaultRegistry } from './handlers.js';
import type { HooksConfig } from './hooks.js';
import { DEFAULT_HOOK_TIMEOUT_MS } from './hooks.js';
import { DEFAULT_MAX_JSON_DEPTH } from './json-text.js';
import type { ModuleClient } from './module/client.js';
import { DEFAULT_MANIFEST } from './schemas/manifest.js';
import type { ManifestInput } from './schemas/manifest.js';
import type { TimestampWindow } from './timestamp.js';

export interface RateLimitOptions {
  /** Requests allowed per window and client IP. */
  max: number;
  /** Window length in ms, or a string such as "1 minute". */
  timeWindow: number | string;
}

/** Bearer token → authenticated agent id, or null when the token is not valid. */
export type TokenValidator = (token: string) => string | null | Promise<string | null>;

export interface AgentOptions {
  /** Served manifest; `id` doubles as the sender of replies. Default: the original's default server manifest. */
  manifest?: ManifestInput;
  /** payload_type → handler. Default: `task.request` → echo. */
  handlers?: HandlerRegistry;
  /** Per-IP limit on POST /asap, or false for none. Default 100 per minute (the original's). */
  rateLimit?: RateLimitOptions | false;
  /** Largest accepted body, before and after decompression. Default 10 MiB. */
  maxRequestSize?: number;
  /** Deepest accepted JSON nesting; deeper bodies get -32700. Default 512. */
  maxJsonDepth?: number;
  /** Accepted envelope age / clock skew, or false to skip the check. Default 300 s / 30 s. */
  timestampWindow?: TimestampWindow | false;
  /** Reject envelopes whose `extensions.nonce` was already seen. Default false. */
  requireNonce?: boolean;
  nonceTtlSeconds?: number;
  /** Bound on remembered nonces (memory cap). Default 100 000. */
  nonceMaxEntries?: number;
  /** Handler executions allowed at once (the original's max_threads); beyond it → 503. Default unbounded. */
  maxConcurrency?: number | null;
  /** Before/after hooks around every handler call. */
  hooks?: HooksConfig | null;
  /** Client of a module process, handed to handlers (skill `module.echo`). */
  module?: ModuleClient | null;
  /** Enforce the agent URN pattern on sender/recipient (HEAD behaviour). Default true. */
  strictUrns?: boolean;
  /** Require a supplied envelope id to be a ULID. Default false (baseline does not check). */
  strictIds?: boolean;
  /** Needed when the manifest declares `auth`. */
  tokenValidator?: TokenValidator;
  /** Debug mode: -32603 replies carry the error type and stack. Default false. */
  debug?: boolean;
  /** Fastify logger. Default off. */
  logger?: FastifyServerOptions['logger'];
}

export const DEFAULTS = {
  rateLimit: { max: 100, timeWindow: 60_000 } as RateLimitOptions,
  maxRequestSize: 10 * 1024 * 1024,
  maxJsonDepth: DEFAULT_MAX_JSON_DEPTH,
  timestampWindow: { maxAgeSeconds: 300, maxFutureSeconds: 30 } as TimestampWindow,
  requireNonce: false,
  nonceTtlSeconds: 600,
  nonceMaxEntries: 100_000,
  maxConcurrency: null as number | null,
  hookTimeoutMs: DEFAULT_HOOK_TIMEOUT_MS,
  strictUrns: true,
  strictIds: false,
  debug: false,
  logger: false as FastifyServerOptions['logger'],
} as const;

export interface ResolvedOptions {
  manifest: ManifestInput;
  handlers: HandlerRegistry;
  rateLimit: RateLimitOptions | false;
  maxRequestSize: number;
  maxJsonDepth: number;
  timestampWindow: TimestampWindow | false;
  requireNonce: boolean;
  nonceTtlSeconds: number;
  nonceMaxEntries: number;
  maxConcurrency: number | null;
  hooks: Required<Pick<HooksConfig, 'before' | 'after'>> & { defaultTimeoutMs: number };
  module: ModuleClient | null;
  strictUrns: boolean;
  strictIds: boolean;
  tokenValidator: TokenValidator | null;
  debug: boolean;
  logger: FastifyServerOptions['logger'];
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0) {
    throw new AgentError('WB_ERR_INVALID_OPTION', `Option ${name} must be a positive integer, got ${String(v)}`);
  }
  return v;
}

export function resolveOptions(o: AgentOptions = {}): ResolvedOptions {
  const rateLimit = o.rateLimit === undefined ? DEFAULTS.rateLimit : o.rateLimit;
  if (rateLimit !== false) positiveInt('rateLimit.max', rateLimit.max);
  return {
    manifest: o.manifest ?? DEFAULT_MANIFEST,
    handlers: o.handlers ?? createDefaultRegistry(),
    rateLimit,
    maxRequestSize: positiveInt('maxRequestSize', o.maxRequestSize ?? DEFAULTS.maxRequestSize),
    maxJsonDepth: positiveInt('maxJsonDepth', o.maxJsonDepth ?? DEFAULTS.maxJsonDepth),
    timestampWindow: o.timestampWindow === undefined ? DEFAULTS.timestampWindow : o.timestampWindow,
    requireNonce: o.requireNonce ?? DEFAULTS.requireNonce,
    nonceTtlSeconds: positiveInt('nonceTtlSeconds', o.nonceTtlSeconds ?? DEFAULTS.nonceTtlSeconds),
    nonceMaxEntries: positiveInt('nonceMaxEntries', o.nonceMaxEntries ?? DEFAULTS.nonceMaxEntries),
    maxConcurrency:
      o.maxConcurrency === undefined || o.maxConcurrency === null ? null : positiveInt('maxConcurrency', o.maxConcurrency),
    hooks: {
      before: o.hooks?.before ?? [],
      after: o.hooks?.after ?? [],
      defaultTimeoutMs: o.hooks?.defaultTimeoutMs ?? DEFAULTS.hookTimeoutMs,
    },
    module: o.module ?? null,
    strictUrns: o.strictUrns ?? DEFAULTS.strictUrns,
    strictIds: o.strictIds ?? DEFAULTS.strictIds,
    tokenValidator: o.tokenValidator ?? null,
    debug: o.debug ?? DEFAULTS.debug,
    logger: o.logger ?? DEFAULTS.logger,
  };
}
