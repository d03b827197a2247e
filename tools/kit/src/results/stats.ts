/**
 * Mann-Whitney U (Wilcoxon rank-sum), two-sided, normal approximation with tie and continuity
 * correction. Written here because no maintained npm package does the tie-corrected two-sample
 * test on weighted (histogram-bucket) samples, which compare needs for short runs.
 */
export interface MwuResult {
  u: number;
  z: number;
  p: number;
  n1: number;
  n2: number;
}

/** Samples as [value, weight] pairs; plain samples have weight 1. */
export function mannWhitneyWeighted(a: ReadonlyArray<readonly [number, number]>, b: ReadonlyArray<readonly [number, number]>): MwuResult {
  const n1 = a.reduce((s, [, w]) => s + w, 0);
  const n2 = b.reduce((s, [, w]) => s + w, 0);
  if (n1 === 0 || n2 === 0) return { u: 0, z: 0, p: 1, n1, n2 };
  const all: Array<[number, number, number]> = [
    ...a.map(([v, w]) => [v, w, 0] as [number, number, number]),
    ...b.map(([v, w]) => [v, w, 1] as [number, number, number]),
  ].sort((x, y) => x[0] - y[0]);
  let rank = 0;
  let r1 = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    let wA = 0;
    let wAll = 0;
    while (j < all.length && all[j]![0] === all[i]![0]) {
      wAll += all[j]![1];
      if (all[j]![2] === 0) wA += all[j]![1];
      j++;
    }
    const avgRank = rank + (wAll + 1) / 2;
    r1 += avgRank * wA;
    tieTerm += wAll ** 3 - wAll;
    rank += wAll;
    i = j;
  }
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return { u: u1, z: 0, p: 1, n1, n2 };
  const z = Math.max(0, Math.abs(u1 - mu) - 0.5) / sigma;
  return { u: u1, z: u1 >= mu ? z : -z, p: z === 0 ? 1 : Math.min(1, 2 * (1 - normalCdf(z))), n1, n2 };
}

export function mannWhitney(a: readonly number[], b: readonly number[]): MwuResult {
  return mannWhitneyWeighted(a.map((v) => [v, 1] as const), b.map((v) => [v, 1] as const));
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf approximation, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Ordinary least squares y = intercept + slope·x; r2 is the coefficient of determination. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number; r2: number } {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return { slope: 0, intercept: ys[0] ?? 0, r2: 0 };
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: sxx === 0 || syy === 0 ? 0 : (sxy * sxy) / (sxx * syy) };
}
