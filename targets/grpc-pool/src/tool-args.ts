/** Parameter checks shared by the tools: wrong types are tool failures (TypeError), as in Python. */
export class ToolInputError extends TypeError {}

/** An unknown tool name, reported as Python's ValueError. */
export class UnknownToolError extends Error {
  constructor(name: string) {
    super(`Unknown tool: ${name}`);
    this.name = 'ValueError';
  }
}

export function numberArg(args: Record<string, unknown>, name: string, opts: { def?: number; min?: number; max?: number; integer?: boolean } = {}): number {
  const v = args[name] ?? opts.def;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ToolInputError(`parameter '${name}' must be a finite number, got ${describe(args[name])}`);
  }
  if (opts.integer && !Number.isInteger(v)) throw new ToolInputError(`parameter '${name}' must be an integer, got ${v}`);
  if (opts.min !== undefined && v < opts.min) throw new ToolInputError(`parameter '${name}' must be >= ${opts.min}, got ${v}`);
  if (opts.max !== undefined && v > opts.max) throw new ToolInputError(`parameter '${name}' must be <= ${opts.max}, got ${v}`);
  return v;
}

export function stringArg(args: Record<string, unknown>, name: string, def: string): string {
  const v = args[name] ?? def;
  if (typeof v !== 'string') throw new ToolInputError(`parameter '${name}' must be a string, got ${describe(args[name])}`);
  return v;
}

/** A float vector: a JSON array of numbers, or a binary parameter of little-endian float32. */
export function vectorArg(args: Record<string, unknown>, binary: Record<string, Buffer>, name: string, required: boolean): Float64Array | Float32Array | null {
  const bytes = binary[name];
  if (bytes) {
    if (bytes.length % 4 !== 0) throw new ToolInputError(`binary parameter '${name}' must hold float32 values (length ${bytes.length} is not a multiple of 4)`);
    const copy = new Uint8Array(bytes); // aligned copy
    return new Float32Array(copy.buffer, 0, bytes.length / 4);
  }
  const v = args[name];
  if (v === undefined || v === null) {
    if (required) throw new ToolInputError(`parameter '${name}' is required (a list of numbers or float32 bytes)`);
    return null;
  }
  if (!Array.isArray(v)) throw new ToolInputError(`parameter '${name}' must be a list of numbers, got ${describe(v)}`);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number') throw new ToolInputError(`parameter '${name}'[${i}] must be a number, got ${describe(x)}`);
    out[i] = x;
  }
  return out;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}
