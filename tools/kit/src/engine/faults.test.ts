import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OK, errorOutcome, type Driver, type Outcome } from './driver.js';
import { measure, type Measurement } from './measure.js';
import { TRACE_OK, type Trace } from './trace.js';
import { describeFault, type FaultAction } from './faults.js';
import { closedLoop } from '../suite/loads.js';
import { Processes } from '../process/processes.js';
import { faultFirer } from '../process/fault-actions.js';
import { summarizeMeasurement } from '../results/summarize.js';
import { faultChecks } from '../results/validity.js';
import { recoveries } from '../plans/recovery.js';
import type { LoadSpec, ScenarioContext } from '../suite/suite.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const TARGET = path.join(here, '..', 'fixtures', 'http-target.ts');
const READY = { line: /^READY http-target (http:\/\/\S+)/ };
const signal = new AbortController().signal;

/** The part of a scenario context fault actions use. */
const contextOf = (processes: Processes): ScenarioContext => ({ processes, log: () => {} }) as unknown as ScenarioContext;

const driver = <D extends Driver<null>>(d: D): D => d;

/** GET the target; a refused or reset connection is an error of its code. */
const httpDriver = (url: string): Driver<null> => driver({
  open: () => null,
  perform: async (): Promise<Outcome> => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.text();
      return res.ok ? OK : errorOutcome(`http_${res.status}`);
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      return errorOutcome(cause?.code ?? (err as Error).name);
    }
  },
  close: () => {},
});

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/**
 * How late this thread may fire a timer: ~1 ms, plus the longest time it was not run meanwhile
 * (this machine's CPUs are shared with other runs: the test holds the engine to its own clock,
 * not to the scheduler's).
 */
function lateness(): { boundMs: () => number } {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  return {
    boundMs: () => {
      h.disable();
      return 30 + h.max / 1e6;
    },
  };
}

/** Rows of the trace intended in [fromMs, toMs) after stage i's start. */
function rows(m: Measurement, t: Trace, stage: number, fromMs: number, toMs: number): number[] {
  const start = m.stages[stage]!.startUs!;
  const out: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const at = (t.intendedUs[i]! - start) / 1000;
    if (at >= fromMs && at < toMs) out.push(i);
  }
  return out;
}

test('kill -9 at 200 ms fires inside its stage on the engine\'s clock, and the trace shows the failures after it', { timeout: 20_000 }, async (t) => {
  const procs = new Processes();
  t.after(() => procs.stopAll());
  const target = await procs.start({ role: 'http', script: TARGET, ready: READY });
  const load: LoadSpec = { stages: [{ name: 'warm', model: 'open', rate: 200, durationMs: 300, warmup: true }, { name: 'kill', model: 'open', rate: 200, durationMs: 1000, faults: [{ atMs: 200, action: { kill: 'http' } }] }], timeoutMs: 2500, trace: true };
  const late = lateness();
  const m = await measure(load, { driverFactory: () => httpDriver(target.readyMatch![1]!), signal, fireFault: faultFirer(contextOf(procs)) });
  const bound = late.boundMs();
  const [f] = m.stages[1]!.faults!;
  assert.ok(f);
  assert.equal(f.action, 'kill http');
  assert.equal(f.atMs, 200);
  assert.ok(f.firedAtMs !== null && f.firedAtMs >= 199.8 && f.firedAtMs < 200 + bound, `fired at ${f.firedAtMs} ms (allowed: 200 + ${bound.toFixed(0)} ms)`);
  assert.ok(f.doneMs !== null && f.doneMs >= f.firedAtMs && f.doneMs < 1000, `done at ${f.doneMs} ms, inside the stage`);
  assert.equal(f.error, undefined);
  assert.equal(target.exitInfo?.signal, 'SIGKILL');
  const trace = m.trace!;
  assert.equal(trace.length, summarizeMeasurement(m).counts.sent, 'one row per measured operation');
  const firedUs = m.stages[1]!.startUs! + f.firedAtMs * 1000;
  const before = rows(m, trace, 1, 0, 1000).filter((i) => trace.doneUs[i]! < firedUs);
  const after = rows(m, trace, 1, f.doneMs + 20, 1000);
  assert.ok(before.length >= 1 && before.every((i) => trace.outcome[i] === TRACE_OK), `every op settled before the kill was answered (${before.length})`);
  assert.ok(after.length > 10 && after.every((i) => trace.outcome[i] !== TRACE_OK), 'every op sent after the kill failed');
  assert.deepEqual(summarizeMeasurement(m).stages[0]?.faults, m.stages[1]!.faults, 'the stage result records it');
  assert.deepEqual(faultChecks(m), []);
});

test('kill + restart as one fault: failures between, answers again once the target is ready, and the recovery computed from the trace', { timeout: 20_000 }, async (t) => {
  const procs = new Processes();
  t.after(() => procs.stopAll());
  const port = await freePort();
  await procs.start({ role: 'http', script: TARGET, ready: READY, env: { PORT: String(port) } });
  const action: FaultAction = [{ kill: 'http' }, { restart: 'http' }];
  const load: LoadSpec = {
    stages: [
      { name: 'warm', model: 'open', rate: 200, durationMs: 300, warmup: true },
      { name: 'baseline', model: 'open', rate: 200, durationMs: 500 },
      { name: 'kill_restart', model: 'open', rate: 200, durationMs: 3000, faults: [{ atMs: 200, action }] },
    ],
    timeoutMs: 2500,
    trace: true,
  };
  const m = await measure(load, { driverFactory: () => httpDriver(`http://127.0.0.1:${port}`), signal, fireFault: faultFirer(contextOf(procs)) });
  const f = m.stages[2]!.faults![0]!;
  assert.equal(f.action, 'kill http + restart http');
  assert.ok(f.doneMs !== null && f.firedAtMs !== null && f.doneMs > f.firedAtMs + 20, `restart took time (${f.firedAtMs} → ${f.doneMs} ms)`);
  assert.ok(f.doneMs! < 2700, `ready again well inside the stage (${f.doneMs} ms)`);
  const trace = m.trace!;
  // Right after the kill nothing can answer: the old process is gone and a new node process needs
  // more than 25 ms to boot and listen. Later in the gap the restarted target may already answer
  // before the kit has read its READY line (doneMs), the more so on a loaded machine.
  const down = rows(m, trace, 2, f.firedAtMs! + 10, Math.min(f.firedAtMs! + 25, f.doneMs!));
  const up = rows(m, trace, 2, f.doneMs! + 50, 3000);
  assert.ok(down.length > 0 && down.every((i) => trace.outcome[i] !== TRACE_OK), 'refused while it was down');
  // A keep-alive socket to the dead process may still fail an op or two just after the restart.
  const ok = up.filter((i) => trace.outcome[i] === TRACE_OK).length;
  assert.ok(up.length > 20 && ok >= 0.9 * up.length, `answered again after the restart (${ok} of ${up.length})`);
  // A generous bound: this checks the analysis on a real trace, not this busy machine's latency.
  const r = recoveries(m, { baselineStage: 'baseline', floorMs: 2000, quietMs: 300 });
  const rec = r.faults[0]!.recovery;
  assert.equal(rec.recovered, true, JSON.stringify(rec));
  assert.ok(rec.failed > 0 && rec.lastFailureMs! <= f.doneMs! - f.firedAtMs! + 150, `last failure ${rec.lastFailureMs} ms after the fault`);
  assert.ok(rec.recoveryMs! >= rec.lastFailureMs!);
});

test('SIGSTOP then SIGCONT: requests sent to the frozen target wait and are answered after the thaw, none fails', { timeout: 20_000 }, async (t) => {
  const procs = new Processes();
  t.after(() => procs.stopAll());
  const target = await procs.start({ role: 'http', script: TARGET, ready: READY });
  const load: LoadSpec = {
    stages: [{ name: 'warm', model: 'open', rate: 200, durationMs: 300, warmup: true }, { name: 'freeze', model: 'open', rate: 200, durationMs: 1000, faults: [{ atMs: 200, action: { stop: 'http' } }, { atMs: 600, action: { cont: 'http' } }] }],
    timeoutMs: 2500,
    trace: true,
  };
  const late = lateness();
  const m = await measure(load, { driverFactory: () => httpDriver(target.readyMatch![1]!), signal, fireFault: faultFirer(contextOf(procs)) });
  const bound = late.boundMs();
  const [stop, cont] = m.stages[1]!.faults!;
  assert.deepEqual([stop?.action, cont?.action], ['SIGSTOP http', 'SIGCONT http']);
  for (const [f, at] of [[stop!, 200], [cont!, 600]] as const) assert.ok(f.firedAtMs !== null && f.firedAtMs >= at - 0.2 && f.firedAtMs < at + bound, `${f.action} at ${f.firedAtMs} ms (allowed: ${at} + ${bound.toFixed(0)} ms)`);
  const trace = m.trace!;
  const start = m.stages[1]!.startUs!;
  const frozen = rows(m, trace, 1, stop!.firedAtMs! + 20, cont!.firedAtMs! - 20);
  assert.ok(frozen.length > 0.5 * 0.2 * (cont!.firedAtMs! - stop!.firedAtMs! - 40), `${frozen.length} ops sent while it was frozen`);
  assert.ok(frozen.every((i) => trace.outcome[i] === TRACE_OK), 'none failed');
  const thawUs = start + cont!.firedAtMs! * 1000;
  assert.ok(frozen.every((i) => trace.doneUs[i]! >= thawUs - 1000), 'each answered only after SIGCONT');
  assert.equal(target.exitInfo, null, 'still running');
});

test('a throwing fault is recorded with its error, one that never fired is reported, and both make the measurement invalid', { timeout: 20_000 }, async () => {
  const noop = driver({ open: () => null, perform: () => OK, close: () => {} });
  const fired: string[] = [];
  const load: LoadSpec = {
    stages: [
      { name: 'throws', model: 'closed', concurrency: 1, durationMs: 300, faults: [{ atMs: 50, action: { name: 'corrupt the disk', run: async () => { throw new Error('no disk to corrupt'); } } }, { atMs: 100, action: { name: 'note', run: () => void fired.push('note') } }] },
      // A count-bounded stage ends long before its fault is due.
      { ...closedLoop({ concurrency: 1, durationMs: 10_000, count: 10 }).stages[0]!, name: 'short', faults: [{ atMs: 5000, action: { kill: 'nobody' } }] },
    ],
  };
  const m = await measure(load, { driverFactory: () => noop, signal, fireFault: faultFirer(contextOf(new Processes())) });
  const [bad, good] = m.stages[0]!.faults!;
  assert.equal(bad?.error, 'no disk to corrupt');
  assert.ok(bad?.firedAtMs !== null && bad!.doneMs !== null);
  assert.equal(good?.error, undefined);
  assert.deepEqual(fired, ['note']);
  assert.deepEqual(m.stages[1]!.faults, [{ action: 'kill nobody', atMs: 5000, firedAtMs: null, doneMs: null }]);
  assert.deepEqual(faultChecks(m), [
    'fault corrupt the disk in stage throws failed: no disk to corrupt',
    'fault kill nobody not fired: stage short ended before 5000 ms',
  ]);
  // A role nobody started is the action's error, naming the roles there are.
  const m2 = await measure({ stages: [{ model: 'closed', durationMs: 200, faults: [{ atMs: 10, action: { restart: 'ghost' } }] }] }, { driverFactory: () => noop, signal, fireFault: faultFirer(contextOf(new Processes())) });
  assert.match(m2.stages[0]!.faults![0]!.error ?? '', /no target with role "ghost"/);
});

test('faults are checked up front, never cross into worker threads, and fire from the first worker\'s stage start', { timeout: 20_000 }, async () => {
  const noop = driver({ open: () => null, perform: () => OK, close: () => {} });
  const fire = faultFirer(contextOf(new Processes()));
  await assert.rejects(measure({ stages: [{ model: 'closed', durationMs: 100, faults: [{ atMs: 100, action: { kill: 'x' } }] }] }, { driverFactory: () => noop, signal, fireFault: fire }), /atMs must be >= 0 and below/);
  await assert.rejects(measure({ stages: [{ model: 'closed', durationMs: 100, faults: [{ atMs: 1, action: { frobnicate: 'x' } as never }] }] }, { driverFactory: () => noop, signal, fireFault: fire }), /unknown action/);
  await assert.rejects(measure({ stages: [{ model: 'closed', durationMs: 100, faults: [{ atMs: 1, action: { kill: 'x' } }] }] }, { driverFactory: () => noop, signal }), /needs a fireFault/);
  assert.equal(describeFault({ signal: 'SIGUSR2', role: 'worker-2' }), 'SIGUSR2 worker-2');
  // Two worker threads rebuild the fixture suite's no-op driver; the fault (a function) stays here.
  const suiteFile = fileURLToPath(new URL('../fixtures/fixture-suite.ts', import.meta.url));
  let firedAtUs = 0;
  const late = lateness();
  const m = await measure(
    { stages: [{ name: 'warm', model: 'open', rate: 400, durationMs: 200, warmup: true }, { name: 'two', model: 'open', rate: 400, durationMs: 600, faults: [{ atMs: 150, action: { name: 'mark', run: () => void (firedAtUs = performance.now() * 1000) } }] }], workers: 2, trace: true },
    { driverFactory: () => noop, signal, fireFault: fire, worker: { suiteFile, scenario: 'quick', driver: null, env: null } },
  );
  const bound = late.boundMs();
  const st = m.stages[1]!;
  const f = st.faults![0]!;
  assert.equal(f.error, undefined);
  assert.ok(f.firedAtMs! >= 149.8 && f.firedAtMs! < 150 + bound, `fired at ${f.firedAtMs} ms (allowed: 150 + ${bound.toFixed(0)} ms)`);
  assert.ok(Math.abs((firedAtUs - st.startUs!) / 1000 - f.firedAtMs!) < 5, 'stage start and firing on one clock');
  const trace = m.trace!;
  assert.equal(trace.length, summarizeMeasurement(m).counts.sent, 'both workers\' measured operations, warm-up excluded');
  assert.ok(trace.length > 200, `${trace.length} of 240 scheduled`);
  assert.deepEqual(new Set(trace.worker), new Set([0, 1]));
  assert.deepEqual(new Set(trace.stage), new Set([1]));
  for (let i = 1; i < trace.length; i++) assert.ok(trace.intendedUs[i - 1]! <= trace.intendedUs[i]!);
  assert.ok(trace.intendedUs[0]! >= st.startUs! - 2000 && trace.intendedUs[0]! < st.startUs! + 10_000, 'worker times on the main thread\'s clock');
});
