import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OK, errorOutcome, type Driver, type Outcome } from './driver.js';
import { closedLoop, openLoop } from '../suite/loads.js';
import { measure } from './measure.js';
import { summarizeMeasurement } from '../results/summarize.js';
import type { LoadSpec } from '../suite/suite.js';

const signal = new AbortController().signal;
const run = async (driver: Driver<any>, load: LoadSpec) => summarizeMeasurement(await measure(load, { driverFactory: () => driver, signal }));

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* a stall that freezes the generator's event loop */ }
}

test('coordinated omission: a 200 ms stall shows in the corrected p99 and not in the uncorrected one', async () => {
  let n = 0;
  const stalling: Driver<null> = {
    open: () => null,
    perform: () => {
      if (++n === 1000) busyWait(200);
      return Promise.resolve(OK);
    },
    close: () => {},
  };
  const s = await run(stalling, openLoop({ rate: 1000, durationMs: 3000 }));
  assert.equal(s.counts.sent, 3000);
  assert.equal(s.counts.ok, 3000);
  // ~200 sends were due during the stall and left late: their backlog (0..200 ms) is ~6.7% of all
  // operations, so the corrected p99 sits near 200 − 30 = 170 ms.
  assert.ok(s.latencyMs.p99 > 120 && s.latencyMs.p99 < 230, `corrected p99 ${s.latencyMs.p99} ms`);
  assert.ok(s.latencyMsUncorrected.p99 < 50, `uncorrected p99 ${s.latencyMsUncorrected.p99} ms hides the stall`);
  assert.ok(s.latencyMsUncorrected.max >= 199, 'the stalled operation itself is still in the uncorrected max');
  assert.ok(s.counts.late >= 150, `late sends counted: ${s.counts.late}`);
  assert.ok(s.sendLagMs && s.sendLagMs.max >= 190, 'the send lag shows the stall');
});

test('open loop sends exactly the scheduled operations and reports the requested rate', async () => {
  const s = await run({ open: () => null, perform: async () => OK, close: () => {} }, openLoop({ rate: 500, durationMs: 2000, warmupMs: 300 }));
  assert.equal(s.counts.sent, 1000, 'warm-up operations are not counted');
  assert.equal(s.counts.ok, 1000);
  assert.equal(s.counts.dropped, 0);
  assert.equal(s.throughput.requested, 500);
  assert.equal(s.stages.length, 1, 'the warm-up stage is not reported');
});

test('closed loop stops at a count, and every operation ends in exactly one outcome', async () => {
  let i = 0;
  const mixed: Driver<null> = {
    open: () => null,
    perform: async (): Promise<Outcome> => {
      const k = i++ % 10;
      if (k === 0) return errorOutcome('bad-reply');
      if (k === 1) throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
      if (k === 2) return { status: 'ok', retries: 2 };
      if (k === 3) return { status: 'lost' };
      return OK;
    },
    close: () => {},
  };
  const s = await run(mixed, closedLoop({ concurrency: 4, durationMs: 10_000, count: 1000 }));
  const c = s.counts;
  assert.equal(c.sent, 1000);
  assert.equal(c.ok + c.retried + c.errors + c.timeouts + c.lost, c.sent);
  assert.deepEqual(c.errorsByKind, { 'bad-reply': 100, ECONNREFUSED: 100 });
  assert.equal(c.retried, 100);
  assert.equal(c.lost, 100);
  assert.equal(s.latencyMs.count, c.ok + c.retried, 'only successes carry a latency');
});

test('an operation that never answers times out, its slot moves on, and a late answer is ignored', async () => {
  let calls = 0;
  let lateResolve: ((o: Outcome) => void) | null = null;
  const hangsOnce: Driver<null> = {
    open: () => null,
    perform: () => {
      if (++calls === 1) return new Promise<Outcome>((r) => { lateResolve = r; });
      return new Promise<Outcome>((r) => setTimeout(r, 1, OK));
    },
    close: () => {},
  };
  const s = await run(hangsOnce, closedLoop({ concurrency: 1, durationMs: 600, timeoutMs: 100 }));
  (lateResolve as ((o: Outcome) => void) | null)?.(OK);
  assert.equal(s.counts.timeouts, 1);
  assert.ok(s.counts.ok > 10, `the slot kept going after the timeout (${s.counts.ok} ok)`);
  assert.equal(s.counts.sent, s.counts.ok + s.counts.timeouts);
});

test('clients are opened before and closed after the timed stages', async () => {
  const events: string[] = [];
  const d: Driver<number> = {
    clients: 3,
    open: (ctx) => {
      events.push(`open${ctx.clientIndex}`);
      return ctx.clientIndex;
    },
    perform: async (c) => {
      if (!events.includes(`use${c}`)) events.push(`use${c}`);
      return OK;
    },
    close: (c) => {
      events.push(`close${c}`);
    },
  };
  await run(d, closedLoop({ concurrency: 3, durationMs: 10_000, count: 30 }));
  assert.deepEqual(events.slice(0, 3), ['open0', 'open1', 'open2']);
  assert.deepEqual(events.slice(-3), ['close0', 'close1', 'close2']);
  assert.ok(['use0', 'use1', 'use2'].every((u) => events.includes(u)), 'operations spread over every client');
});

test('an open-loop generator that cannot keep up is marked saturated', async () => {
  const slowSender: Driver<null> = {
    open: () => null,
    perform: () => {
      busyWait(2); // each send costs the generator 2 ms: at most ~500/s are possible
      return OK;
    },
    close: () => {},
  };
  const s = await run(slowSender, openLoop({ rate: 2000, durationMs: 1000 }));
  assert.ok(s.saturation.length > 0, 'saturation reported');
  assert.ok(s.saturation.some((r) => /short|saturated/.test(r)), s.saturation.join('; '));
});

test('aborting a run stops it early and counts what was pending as lost', async () => {
  const ac = new AbortController();
  const never: Driver<null> = { open: () => null, perform: () => new Promise<Outcome>(() => {}), close: () => {} };
  setTimeout(() => ac.abort(), 200);
  const t0 = performance.now();
  const m = await measure(closedLoop({ concurrency: 5, durationMs: 10_000, timeoutMs: 60_000 }), { driverFactory: () => never, signal: ac.signal });
  const s = summarizeMeasurement(m);
  assert.ok(performance.now() - t0 < 2000, 'stopped promptly');
  assert.equal(s.counts.sent, 5);
  assert.equal(s.counts.lost, 5);
});

test('closed-loop throughput is divided by the time it issued, not by the drain of a hung operation', async () => {
  let n = 0;
  const oneHangs: Driver<null> = {
    open: () => null,
    perform: () => (++n === 1 ? new Promise<Outcome>(() => {}) : new Promise<Outcome>((r) => setTimeout(r, 1, OK))),
    close: () => {},
  };
  const s = await run(oneHangs, closedLoop({ concurrency: 2, durationMs: 1000, timeoutMs: 3000 }));
  const st = s.stages[0]!;
  assert.ok(st.durationMs < 1500, `stage time ${st.durationMs} ms excludes the 3 s drain`);
  assert.ok(Math.abs(s.throughput.achieved - s.counts.ok / (st.durationMs / 1000)) < 1);
});

test('an open-loop stage backed up on maxInFlight still ends on time and counts what it could not send', async () => {
  const stuck: Driver<null> = { open: () => null, perform: () => new Promise<Outcome>(() => {}), close: () => {} };
  const t0 = performance.now();
  const s = await run(stuck, { stages: [{ model: 'open', rate: 1000, durationMs: 300 }], maxInFlight: 10, timeoutMs: 200 });
  const took = performance.now() - t0;
  assert.ok(took < 1200, `stage of 300 ms took ${Math.round(took)} ms`);
  assert.equal(s.counts.sent + s.counts.dropped, 300, 'every scheduled operation is either sent or dropped');
  assert.ok(s.counts.dropped > 200);
  assert.equal(s.counts.timeouts + s.counts.lost, s.counts.sent);
});

test('sends held back by maxInFlight (the target is slow) are counted as held, not as the generator being late', async () => {
  // 4 ms per operation, at most 2 in flight: the target serves 500/s of the 1000/s asked, so half
  // the sends wait for a slot. That is backpressure, measured from intended times, not generator lag.
  const slow: Driver<null> = { open: () => null, perform: () => new Promise<Outcome>((r) => setTimeout(() => r(OK), 4)), close: () => {} };
  const s = await run(slow, { stages: [{ model: 'open', rate: 1000, durationMs: 1000 }], maxInFlight: 2, timeoutMs: 5000 });
  assert.ok((s.counts.held ?? 0) > 100, `held ${s.counts.held}`);
  assert.ok(s.counts.late < s.counts.sent * 0.1, `late ${s.counts.late} of ${s.counts.sent}`);
  assert.ok(!s.saturation.some((r) => /late/.test(r)), s.saturation.join('; '));
  assert.ok(s.latencyMs.p99 > 100, `the backlog shows in corrected latency (p99 ${s.latencyMs.p99} ms)`);
});

test('drivers that settle without I/O do not starve timers: an abort still lands', async () => {
  const ac = new AbortController();
  const instant: Driver<null> = { open: () => null, perform: () => Promise.resolve(OK), close: () => {} };
  setTimeout(() => ac.abort(), 100);
  const t0 = performance.now();
  await measure(closedLoop({ concurrency: 4, durationMs: 5000 }), { driverFactory: () => instant, signal: ac.signal });
  assert.ok(performance.now() - t0 < 1000, 'the 100 ms abort timer fired during the stage');
});

test('invalid load shapes are refused with a coded error', async () => {
  const noop: Driver<null> = { open: () => null, perform: () => OK, close: () => {} };
  for (const load of [
    closedLoop({ concurrency: 2.5, durationMs: 100 }),
    openLoop({ rate: Number.NaN, durationMs: 100 }),
    { stages: [{ model: 'open' as const, rate: 10, rateTo: -1, durationMs: 100 }] },
    closedLoop({ concurrency: 1, durationMs: 100, workers: 0 }),
  ]) {
    await assert.rejects(run(noop, load), (e: unknown) => (e as { code?: string }).code === 'WB_ERR_INVALID_OPTION');
  }
});

test('windows cover every slice of the run, a silent one included', async () => {
  let n = 0;
  const pauses: Driver<null> = {
    open: () => null,
    perform: () => new Promise<Outcome>((r) => setTimeout(r, ++n === 20 ? 700 : 1, OK)),
    close: () => {},
  };
  const s = await run(pauses, closedLoop({ concurrency: 1, durationMs: 1500 }));
  const w = s.windows;
  assert.ok(w.length >= 8, `${w.length} windows of ${w[0]?.windowMs} ms`);
  assert.deepEqual(w.map((x) => x.tMs), w.map((_, i) => i * w[0]!.windowMs), 'contiguous');
  assert.ok(w.some((x) => x.ok === 0), 'the 700 ms pause shows as an empty window');
});

test('several generator workers split counts and slots exactly and their histograms merge', async () => {
  const { fileURLToPath } = await import('node:url');
  const suiteFile = fileURLToPath(new URL('../fixtures/fixture-suite.ts', import.meta.url));
  const noop: Driver<null> = { open: () => null, perform: async () => OK, close: () => {} };
  const m = await measure(closedLoop({ concurrency: 3, durationMs: 10_000, count: 10, workers: 4 }), {
    driverFactory: () => noop,
    signal,
    worker: { suiteFile, scenario: 'quick', driver: null, env: null },
  });
  const perWorker = m.stages[0]!.workers.map((w) => w.snapshot!.counts.sent);
  assert.deepEqual(perWorker, [4, 3, 3, 0], 'count 10 over the 3 workers that have one of the 3 slots');
  const s = summarizeMeasurement(m);
  assert.equal(s.counts.sent, 10);
  assert.equal(s.latencyMs.count, 10, 'every worker histogram merged');
});

test('an isolated load runs its single worker in a thread of its own and reports that thread\'s GC', async () => {
  const { fileURLToPath } = await import('node:url');
  const suiteFile = fileURLToPath(new URL('../fixtures/fixture-suite.ts', import.meta.url));
  const suite = (await import('../fixtures/fixture-suite.js')).default;
  const factory = suite.scenarios.find((x) => x.name === 'which-thread')!.driver!;
  const kinds = async (isolate: boolean) => {
    const m = await measure(closedLoop({ concurrency: 1, durationMs: 10_000, count: 20, isolate }), {
      driverFactory: () => factory(null),
      signal,
      worker: { suiteFile, scenario: 'which-thread', driver: null, env: null },
    });
    const s = summarizeMeasurement(m, { generatorIsTarget: true });
    assert.ok(s.stages[0]?.generatorGc, 'the stage reports its generator GC');
    return { kinds: s.counts.errorsByKind, isolated: m.load.isolated === true };
  };
  assert.deepEqual(await kinds(false), { kinds: { 'main-thread': 20 }, isolated: false });
  assert.deepEqual(await kinds(true), { kinds: { 'worker-thread': 20 }, isolated: true });
});

test('an open-loop stage whose sends mostly leave late is invalid even when the rate catches up', async () => {
  let n = 0;
  const hiccups: Driver<null> = {
    open: () => null,
    perform: () => {
      if (++n % 100 === 0) busyWait(40); // a 40 ms hiccup every 100 ms: ~40% of sends go out late
      return Promise.resolve(OK);
    },
    close: () => {},
  };
  const s = await run(hiccups, openLoop({ rate: 1000, durationMs: 1000 }));
  assert.ok(s.counts.sent >= 950, 'the rate itself caught up');
  assert.ok(s.saturation.some((r) => /late/.test(r)), s.saturation.join('; ') || 'no reason given');
});

test('onMeasuring brackets the measured stages only: after the warm-up, once for all workers', async () => {
  const { fileURLToPath } = await import('node:url');
  const suiteFile = fileURLToPath(new URL('../fixtures/fixture-suite.ts', import.meta.url));
  const tick: Driver<null> = { open: () => null, perform: () => new Promise<Outcome>((r) => setTimeout(r, 1, OK)), close: () => {} };
  for (const workers of [1, 2]) {
    const events: Array<[string, number]> = [];
    const t0 = performance.now();
    await measure(closedLoop({ concurrency: 2, durationMs: 300, warmupMs: 1000, workers }), {
      driverFactory: () => tick,
      signal,
      onMeasuring: (phase) => events.push([phase, performance.now() - t0]),
      worker: { suiteFile, scenario: 'quick', driver: null, env: null },
    });
    assert.deepEqual(events.map((e) => e[0]), ['begin', 'end'], `workers ${workers}`);
    const [[, begin], [, end]] = events as [[string, number], [string, number]];
    assert.ok(begin >= 990, `workers ${workers}: begins after the 1,000 ms warm-up (${begin.toFixed(0)} ms)`);
    // Warm-up inside would make it ≥ 1,300 ms.
    assert.ok(end - begin >= 290 && end - begin < 900, `workers ${workers}: spans the 300 ms stage only (${(end - begin).toFixed(0)} ms)`);
  }
});
