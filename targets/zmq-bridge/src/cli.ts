import { parseArgs } from 'node:util';
import { ErrorCode, BridgeError } from './errors.js';

/** Flag `--name` wins over env `WB_ZMQ_<NAME>`, which wins over the default. */
export function readOptions(names: readonly string[], argv = process.argv.slice(2)): Record<string, string | undefined> {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
    strict: true,
  });
  const out: Record<string, string | undefined> = {};
  for (const n of names) {
    const env = process.env[`WB_ZMQ_${n.toUpperCase().replaceAll('-', '_')}`];
    out[n] = (values[n] as string | undefined) ?? (env === '' ? undefined : env);
  }
  return out;
}

export function toNumber(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    throw new BridgeError(ErrorCode.BadOption, `--${name} must be a number >= 0, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** SIGTERM/SIGINT: close sockets (linger 0), exit 0. */
export function onShutdown(close: () => void): void {
  const stop = () => {
    try {
      close();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** A start-up failure as one line, `code: message (hint)`, then exit 1. */
export function fail(e: unknown): never {
  const err = e instanceof BridgeError ? e : new BridgeError(ErrorCode.Startup, e instanceof Error ? e.message : String(e));
  process.stderr.write(`${err.code}: ${err.message} (${err.hint})\n`);
  process.exit(1);
}
