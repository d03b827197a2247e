import { parseArgs } from 'node:util';
import { AgentError } from './errors.js';
import type { RateLimitOptions } from './options.js';

export interface AgentCliConfig {
  host: string;
  port: number;
  rateLimit: RateLimitOptions | false;
  maxRequestSize: number | undefined;
  maxConcurrency: number | null;
  requireNonce: boolean;
  hooks: boolean;
  hookTimeoutMs: number | undefined;
  module: boolean;
  /** A module process already listening (`tcp://host:port`), instead of spawning one. */
  moduleUrl: { host: string; port: number } | null;
  debug: boolean;
  log: boolean;
}

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

const PER: Record<string, string> = { s: 'second', sec: 'second', second: 'second', m: 'minute', min: 'minute', minute: 'minute', h: 'hour', hour: 'hour', d: 'day', day: 'day' };

/** "100/minute", "10/second", "off" (also "false", "0", "none") → options; the original's ASAP_RATE_LIMIT syntax. */
export function parseRateLimit(text: string): RateLimitOptions | false {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === 'false' || t === '0' || t === 'none') return false;
  const m = /^(\d+)\s*(?:\/|per)\s*(?:(\d+)\s*)?([a-z]+?)s?$/.exec(t);
  const unit = m ? PER[m[3] as string] : undefined;
  if (!m || unit === undefined) {
    throw new AgentError('WB_ERR_INVALID_OPTION', `Cannot read rate limit '${text}'`, undefined, { hint: 'Use e.g. 100/minute, 10/second or off.' });
  }
  return { max: Number(m[1]), timeWindow: `${m[2] ?? 1} ${unit}` };
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new AgentError('WB_ERR_INVALID_OPTION', `${name} must be a non-negative integer, got '${v}'`);
  return n;
}

/** `tcp://host:port` of a running module process (module-main.ts prints it in its READY line). */
export function parseModuleUrl(text: string | undefined): { host: string; port: number } | null {
  if (text === undefined || text.trim() === '') return null;
  const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d+)$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port < 65536)) {
    throw new AgentError('WB_ERR_INVALID_OPTION', `Cannot read module URL '${text}'`, undefined, { hint: 'Use tcp://<host>:<port>, as module-main.ts prints it.' });
  }
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port };
}

/** Flags win over environment variables; see README for the list. */
export function parseAgentArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): AgentCliConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'rate-limit': { type: 'string' },
      'max-request-size': { type: 'string' },
      'max-threads': { type: 'string' },
      'require-nonce': { type: 'boolean' },
      hooks: { type: 'boolean' },
      'hook-timeout-ms': { type: 'string' },
      module: { type: 'boolean' },
      'module-url': { type: 'string' },
      debug: { type: 'boolean' },
      log: { type: 'boolean' },
    },
  });
  const moduleUrl = parseModuleUrl(values['module-url'] ?? env.WB_MODULE_URL);
  const spawnModule = values.module ?? truthy(env.WB_MODULE);
  if (moduleUrl && spawnModule) {
    throw new AgentError('WB_ERR_INVALID_OPTION', 'Both --module and --module-url are set', undefined, {
      hint: 'Use either --module (spawn a module process) or --module-url (use a running one), not both; check WB_MODULE and WB_MODULE_URL too.',
    });
  }
  const maxThreads = int('--max-threads', values['max-threads'] ?? env.ASAP_MAX_THREADS);
  return {
    host: values.host ?? env.HOST ?? '127.0.0.1',
    port: int('--port', values.port ?? env.PORT) ?? 8000,
    rateLimit: parseRateLimit(values['rate-limit'] ?? env.ASAP_RATE_LIMIT ?? '100/minute'),
    maxRequestSize: int('--max-request-size', values['max-request-size'] ?? env.ASAP_MAX_REQUEST_SIZE),
    maxConcurrency: maxThreads === undefined || maxThreads === 0 ? null : maxThreads,
    requireNonce: values['require-nonce'] ?? truthy(env.ASAP_REQUIRE_NONCE),
    hooks: values.hooks ?? truthy(env.WB_HOOKS),
    hookTimeoutMs: int('--hook-timeout-ms', values['hook-timeout-ms'] ?? env.WB_HOOK_TIMEOUT_MS),
    module: spawnModule,
    moduleUrl,
    debug: values.debug ?? truthy(env.ASAP_DEBUG),
    log: values.log ?? truthy(env.WB_LOG),
  };
}
