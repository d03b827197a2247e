import type { Progress } from '../engine/load.js';

/**
 * Live progress on a TTY: one line rewritten in place (elapsed, rate, p99 so far, errors).
 * Off in quiet mode and when stderr is not a terminal, so CI logs stay clean.
 */
export class ProgressLine {
  private readonly latest = new Map<number, Progress>();
  private last = { t: 0, sent: 0 };
  constructor(private readonly enabled: boolean, private readonly label: string) {}

  update(p: Progress): void {
    if (!this.enabled) return;
    this.latest.set(p.workerIndex, p);
    let sent = 0, ok = 0, failed = 0, p99 = 0, elapsed = 0;
    let stage = '';
    for (const x of this.latest.values()) {
      sent += x.sent; ok += x.ok; failed += x.failed;
      p99 = Math.max(p99, x.p99Us);
      elapsed = Math.max(elapsed, x.elapsedMs);
      stage = x.warmup ? `${x.stage} (warm-up)` : x.stage;
    }
    const dt = (elapsed - this.last.t) / 1000;
    const rate = dt > 0 && sent >= this.last.sent ? (sent - this.last.sent) / dt : 0;
    this.last = { t: elapsed, sent };
    const line = `${this.label} ${stage} ${(elapsed / 1000).toFixed(1)}s  ${Math.round(rate)}/s  p99 ${(p99 / 1000).toFixed(2)}ms  ok ${ok}  failed ${failed}`;
    process.stderr.write(`\r\x1b[2K${line}`);
  }

  done(): void {
    if (this.enabled && this.latest.size) process.stderr.write('\r\x1b[2K');
    this.latest.clear();
    this.last = { t: 0, sent: 0 };
  }
}
