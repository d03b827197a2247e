import { availableParallelism } from 'node:os';
import { measureNoise } from '../process/noise.js';
import { WbError } from '../errors.js';
import { parse, positiveNumber } from './args.js';

const USAGE = 'wirebench noise [--seconds 10] [--threads 1] [--threshold-ms 0.1] [--format text|json]';

/**
 * The machine's own latency floor, before trusting a sub-millisecond tail: run it on a quiet
 * machine, with nothing else busy. One thread leaves the other CPUs idle (what a single target
 * sees); --threads <CPUs> loads them all (what a generator beside its targets sees).
 */
export async function noiseCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    seconds: { type: 'string' },
    threads: { type: 'string' },
    'threshold-ms': { type: 'string' },
    format: { type: 'string' },
  }, USAGE);
  if (positionals.length) throw new WbError('WB_ERR_USAGE', `unexpected "${positionals[0]}"; usage: ${USAGE}`);
  const threads = positiveNumber(values.threads ?? '1', '--threads');
  if (!Number.isInteger(threads) || threads > availableParallelism()) {
    throw new WbError('WB_ERR_INVALID_OPTION', `--threads must be a whole number from 1 to this machine's ${availableParallelism()} CPUs, got "${values.threads}"`);
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new WbError('WB_ERR_INVALID_OPTION', `--format is text or json, got "${format}"`);
  const r = await measureNoise({
    threads,
    durationMs: positiveNumber(values.seconds ?? '10', '--seconds') * 1000,
    thresholdMs: positiveNumber(values['threshold-ms'] ?? '0.1', '--threshold-ms'),
    // On stderr, so stdout stays the report alone: keep the machine quiet from here.
    onSpinning: () => process.stderr.write(`noise: ${threads} thread(s) spinning\n`),
  });
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return 0;
  }
  const ms = (x: number): string => `${x.toFixed(2)} ms`;
  const top = r.gapsMs.slice(0, 5).map(ms).join(', ') || 'none';
  process.stdout.write(
    `scheduler noise, ${r.threads} spinning thread(s) for ${r.durationMs / 1000} s: ${r.gapsMs.length} gaps ≥ ${r.thresholdMs} ms, ` +
      `${r.over1Ms} of them ≥ 1 ms; longest ${top}; ${(r.lostShare * 100).toFixed(3)}% of the time not running\n`,
  );
  return 0;
}
