/**
 * A ratio of two arms' per-round figures, round by round, and its median. The rounds plan gives
 * ratios of summary figures (rates, latencies); CPU per operation it gives per arm, with one
 * sample per round in round order, so the per-round CPU ratio is taken here from those samples.
 */
import { median, type Metric } from '@wirebench/kit';

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** `{ [name]: median of of[i] ÷ to[i] }` with per-round samples, or a reason there is none. */
export function perRoundRatio(metrics: Readonly<Record<string, Metric>>, name: string, of: string, to: string, what: string): { metrics: Record<string, Metric>; note?: string } {
  const a = metrics[of]?.samples;
  const b = metrics[to]?.samples;
  if (!a || !b || a.length === 0 || a.length !== b.length) {
    return { metrics: {}, note: `${name}: no ratio (${!a ? `${of} missing` : !b ? `${to} missing` : `${a.length} rounds of ${of} against ${b.length} of ${to}`})` };
  }
  const ratios = a.flatMap((x, i) => (b[i]! > 0 && Number.isFinite(x) ? [x / b[i]!] : []));
  if (ratios.length !== a.length) return { metrics: {}, note: `${name}: no ratio (${to} was 0 or ${of} not finite in a round)` };
  return {
    metrics: {
      [name]: {
        value: r3(median(ratios)),
        unit: 'x',
        better: 'lower',
        samples: ratios.map(r3),
        note: `${what}: median over ${ratios.length} rounds of ${of} ÷ ${to}, each round's two arms measured beside each other; samples: per round`,
      },
    },
  };
}
