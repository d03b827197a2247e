/**
 * The same > 10 KB payload two ways, for the binary scenario: as `binary_parameters` (raw bytes;
 * replies over 10,240 bytes come back in `binary_result`) or as a JSON parameter in the Any, as
 * the Elixir side sends every other parameter. Two workloads: an echo of `bytes` random bytes
 * (base64 in JSON) and `compute` sum over a float32 vector (a JSON list of the same values).
 * Outcome.bytes = payload bytes sent + received, so both sides of a pair report B/s on one scale.
 */
import { randomBytes } from 'node:crypto';
import { OK, errorOutcome, type Driver, type Outcome } from '@wirebench/kit';
import { bridgeClient, grpcKind, request, unary, type Bridge } from './rpc.js';
import { checkBinary, checkEcho, checkSum, type WireResponse } from './validate.js';

const DEADLINE_MS = 30_000;

const done = (kind: string | null, bytes: number): Outcome => (kind ? errorOutcome(kind) : bytes > 0 ? { status: 'ok', bytes } : OK);

/** `n` float32 values in [-1, 1) and their sum taken as the worker takes it (float64 accumulator, same order). */
export function float32Vector(n: number): { values: number[]; bytes: Buffer; sum: number } {
  const f = new Float32Array(n);
  for (let i = 0; i < n; i++) f[i] = Math.random() * 2 - 1;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += f[i]!;
  // Every float32 is a float64 exactly and JSON prints a float64 so that it parses back to itself:
  // the JSON list carries the very values the bytes do.
  return { values: Array.from(f), bytes: Buffer.from(f.buffer, f.byteOffset, f.byteLength), sum };
}

/** `echo` of {data: base64 of `size` random bytes}: the JSON twin of binaryDriver. */
export function jsonEchoDriver(address: string, size: number): Driver<{ c: Bridge; data: string }> {
  return {
    open: () => ({ c: bridgeClient(address), data: randomBytes(size).toString('base64') }),
    async perform({ c, data }) {
      try {
        const r = await unary<WireResponse>(c, 'ExecuteTool', request({ tool: 'echo', params: { data } }), DEADLINE_MS);
        return done(checkEcho(r, data), data.length + (r.result?.value.length ?? 0));
      } catch (e) {
        return errorOutcome(grpcKind(e));
      }
    },
    close: ({ c }) => c.close(),
  };
}

/** `compute` sum over `n` float32 values, sent as a binary parameter (`binary`) or as a JSON list (`json`). */
export function vectorDriver(address: string, n: number, as: 'binary' | 'json'): Driver<{ c: Bridge; v: ReturnType<typeof float32Vector> }> {
  return {
    open: () => ({ c: bridgeClient(address), v: float32Vector(n) }),
    async perform({ c, v }) {
      const call = as === 'binary'
        ? request({ tool: 'compute', params: { op: 'sum' }, binary: { data: v.bytes } })
        : request({ tool: 'compute', params: { op: 'sum', data: v.values } });
      const sent = as === 'binary' ? v.bytes.length : Buffer.byteLength((call.parameters as Record<string, { value: Buffer }>).data!.value);
      try {
        const r = await unary<WireResponse>(c, 'ExecuteTool', call, DEADLINE_MS);
        return done(checkSum(r, v.sum), sent + (r.result?.value.length ?? 0));
      } catch (e) {
        return errorOutcome(grpcKind(e));
      }
    },
    close: ({ c }) => c.close(),
  };
}
