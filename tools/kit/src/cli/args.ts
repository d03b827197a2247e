import { parseArgs, type ParseArgsConfig } from 'node:util';
import { WbError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with every failure turned into one WB_ERR_USAGE line. */
export function parse<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new WbError('WB_ERR_USAGE', `${(err as Error).message.split('\n')[0]}; usage: ${usage}`);
  }
}

/** `k=v,k2=v2` or repeated `--set k=v` into a record. */
export function keyValues(values: string[] | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of (values ?? []).flatMap((x) => x.split(','))) {
    const i = v.indexOf('=');
    if (i <= 0) throw new WbError('WB_ERR_INVALID_OPTION', `${what} takes key=value, got "${v}"`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

export function positiveNumber(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new WbError('WB_ERR_INVALID_OPTION', `${what} must be a positive number, got "${v}"`);
  return n;
}
