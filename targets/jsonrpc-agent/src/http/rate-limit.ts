import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { RateLimitOptions } from '../options.js';

/** Thrown by the limiter; the error handler turns it into the spec's 429 body. */
export class RateLimited extends Error {
  readonly statusCode = 429;
  readonly retryAfter: number;
  readonly limit: string;
  constructor(retryAfter: number, limit: string) {
    super('Rate limit exceeded');
    this.retryAfter = retryAfter;
    this.limit = limit;
  }
}

const UNITS: Array<[number, string]> = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

/** Window length in ms ("1 minute" → 60000), accepting what @fastify/rate-limit accepts. */
export function windowMs(timeWindow: number | string): number {
  if (typeof timeWindow === 'number') return timeWindow;
  const m = /^\s*(\d+(?:\.\d+)?)?\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)\s*$/i.exec(timeWindow);
  if (!m) return Number(timeWindow);
  const n = m[1] === undefined ? 1 : Number(m[1]);
  const u = (m[2] as string).toLowerCase();
  if (u.startsWith('ms') || u.startsWith('milli')) return n;
  if (u.startsWith('s')) return n * 1000;
  if (u.startsWith('m')) return n * 60_000;
  if (u.startsWith('h')) return n * 3_600_000;
  return n * 86_400_000;
}

/** The limit as the original (slowapi) names it, e.g. "100 per 1 minute". */
export function describeLimit(o: RateLimitOptions): string {
  const ms = windowMs(o.timeWindow);
  for (const [size, unit] of UNITS) {
    if (ms % size === 0) {
      const n = ms / size;
      return `${o.max} per ${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${o.max} per ${ms} milliseconds`;
}

/**
 * @fastify/rate-limit in route mode (only POST /asap is limited, as in the original), on onRequest
 * so it runs right after the size guard; only Retry-After is added, as the original does.
 */
export async function registerRateLimit(app: FastifyInstance, limits: RateLimitOptions): Promise<void> {
  const limit = describeLimit(limits);
  await app.register(rateLimit, {
    global: false,
    hook: 'onRequest',
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': true },
    errorResponseBuilder: (_req, ctx) => new RateLimited(Math.max(1, Math.ceil(ctx.ttl / 1000)), limit),
  });
}
