import { parseArgs } from 'node:util';
import { describeError, PoolError, PoolErrorCode } from './errors.js';

/** Flag `--name` wins over env `WB_GRPC_<NAME>`, which wins over the default. Unknown flags are refused. */
export function readOptions(names: readonly string[], argv = process.argv.slice(2)): Record<string, string | undefined> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])), strict: true }));
  } catch (e) {
    throw new PoolError(PoolErrorCode.BadOption, (e as Error).message, `known flags: ${names.map((n) => `--${n}`).join(' ')}`);
  }
  const out: Record<string, string | undefined> = {};
  for (const n of names) {
    const env = process.env[`WB_GRPC_${n.toUpperCase().replaceAll('-', '_')}`];
    out[n] = (values[n] as string | undefined) ?? (env === '' ? undefined : env);
  }
  return out;
}

export function toNumber(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (v === 'infinity') return Infinity;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new PoolError(PoolErrorCode.BadOption, `--${name} must be a number >= 0, got ${JSON.stringify(v)}`, `fix --${name}`);
  return n;
}

/** A command line: a JSON array of strings, or words separated by spaces. */
export function toCommand(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  if (v.trim().startsWith('[')) {
    const parsed = JSON.parse(v) as unknown;
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') && parsed.length > 0) return parsed as string[];
    throw new PoolError(PoolErrorCode.BadOption, `--worker-command must be a JSON array of strings, got ${v}`, 'e.g. --worker-command \'["node","worker.js"]\'');
  }
  return v.split(/\s+/).filter(Boolean);
}

/** SIGTERM/SIGINT: run drain once, then exit 0 (exit 1 if draining throws). */
export function onShutdown(drain: () => Promise<void> | void): void {
  let started = false;
  const stop = () => {
    if (started) return;
    started = true;
    Promise.resolve()
      .then(drain)
      .then(() => process.exit(0), (e: unknown) => {
        process.stderr.write(`${describeError(e)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Start-up failure: one coded line on stderr, exit 1. */
export function fail(what: string, e: unknown): never {
  process.stderr.write(`${what} failed to start: ${describeError(e)}\n`);
  process.exit(1);
}
