/**
 * Request vectors and the answers a correct server must give. Values are float32 (what the raw
 * codec carries); every codec delivers the same float64 values to the server, which sums them in
 * the same order, so the expected figures are computed here exactly as the server does.
 */

export type VectorOp = 'sum' | 'mean' | 'norm';
export const VECTOR_OPS: readonly VectorOp[] = ['sum', 'mean', 'norm'];

export interface PreparedVector {
  data: Float32Array;
  expected: Record<VectorOp, number>;
}

/** mulberry32: a tiny seeded PRNG, so every run sends the same vectors. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function prepareVectors(n: number, count: number, seed: number): PreparedVector[] {
  const out: PreparedVector[] = [];
  const rnd = prng(seed);
  for (let k = 0; k < count; k++) {
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = rnd() * 2 - 1;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const x = data[i] as number;
      sum += x;
      sq += x * x;
    }
    out.push({ data, expected: { sum, mean: n === 0 ? Number.NaN : sum / n, norm: Math.sqrt(sq) } });
  }
  return out;
}

/** Float tolerance: the figures should match exactly, but a server may sum in another order. */
export function closeEnough(actual: unknown, expected: number): boolean {
  if (typeof actual !== 'number') return false;
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}
