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

/**
 * Wilcoxon signed-rank test over paired differences (zeros dropped, Wilcoxon's convention; tied
 * |d| get mid-ranks). `pGreater` is P(W+ ≥ observed) under H0 (the differences lean positive),
 * `pLess` P(W+ ≤ observed), `p` the two-sided value. Exact up to 50 non-zero pairs: the permutation
 * distribution of the actual (mid-)ranks over every sign assignment, counted by dynamic programming
 * on doubled ranks (integers), so ties stay exact too. Beyond that the normal approximation with tie
 * and continuity correction. Written here for the A/B gate: a handful of round pairs is exactly
 * where the normal approximation is wrong.
 */
export interface WilcoxonResult {
  /** Non-zero pairs. */
  n: number;
  wPlus: number;
  wMinus: number;
  pGreater: number;
  pLess: number;
  p: number;
  exact: boolean;
}

const EXACT_MAX_N = 50;

export function wilcoxonSignedRank(diffs: readonly number[], opts: { exact?: boolean } = {}): WilcoxonResult {
  const d = diffs.filter((x) => x !== 0 && Number.isFinite(x));
  const n = d.length;
  if (n === 0) return { n, wPlus: 0, wMinus: 0, pGreater: 1, pLess: 1, p: 1, exact: true };
  const order = d.map((x, i) => [Math.abs(x), i] as const).sort((a, b) => a[0] - b[0]);
  // Doubled mid-ranks: integers, so the exact distribution is a count over integer sums.
  const rank2 = new Array<number>(n).fill(0);
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && order[j]![0] === order[i]![0]) j++;
    for (let k = i; k < j; k++) rank2[order[k]![1]] = i + j + 1; // 2 × mean of ranks i+1..j
    tieTerm += (j - i) ** 3 - (j - i);
    i = j;
  }
  let wPlus2 = 0;
  for (let i = 0; i < n; i++) if (d[i]! > 0) wPlus2 += rank2[i]!;
  const total2 = n * (n + 1);
  const wPlus = wPlus2 / 2;
  const wMinus = (total2 - wPlus2) / 2;
  const exact = opts.exact ?? n <= EXACT_MAX_N;
  let pGreater: number;
  let pLess: number;
  if (exact) {
    // counts[s]: sign assignments whose positive doubled ranks sum to s.
    let counts = new Float64Array(total2 + 1);
    counts[0] = 1;
    for (const r of rank2) {
      const next = new Float64Array(total2 + 1);
      for (let s = 0; s <= total2; s++) {
        const c = counts[s]!;
        if (c === 0) continue;
        next[s] = next[s]! + c;
        if (s + r <= total2) next[s + r] = next[s + r]! + c;
      }
      counts = next;
    }
    const all = 2 ** n;
    let ge = 0;
    let le = 0;
    for (let s = 0; s <= total2; s++) {
      if (s >= wPlus2) ge += counts[s]!;
      if (s <= wPlus2) le += counts[s]!;
    }
    pGreater = ge / all;
    pLess = le / all;
  } else {
    const mu = (n * (n + 1)) / 4;
    const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
    if (sigma === 0) return { n, wPlus, wMinus, pGreater: 1, pLess: 1, p: 1, exact };
    pGreater = 1 - normalCdf((wPlus - mu - 0.5) / sigma);
    pLess = normalCdf((wPlus - mu + 0.5) / sigma);
  }
  return { n, wPlus, wMinus, pGreater, pLess, p: Math.min(1, 2 * Math.min(pGreater, pLess)), exact };
}
