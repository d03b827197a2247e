/**
 * The pipeline scenario's failures reach the bench summary: a failed request of any cell is named
 * in the result's notes by cell and kind (the summary prints notes saying "operations failed").
 * The scenario's plan runs here on the kit's engine against in-process drivers standing in for the
 * three agents; no target is started.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OK, errorOutcome, type Driver, type ScenarioContext } from '@wirebench/kit';
import { measure, Processes } from '@wirebench/kit/internal';
import { pipeline } from './scenarios/pipeline.js';

const answers = (failEvery: number, kind: string): Driver<null> => {
  let n = 0;
  return { open: () => null, perform: () => (failEvery > 0 && ++n % failEvery === 0 ? errorOutcome(kind) : OK), close: () => {} };
};

function context(drivers: Record<string, () => Driver<null>>): ScenarioContext {
  const controller = new AbortController();
  return {
    suite: 'jsonrpc-agent',
    scenario: 'pipeline',
    smoke: true,
    signal: controller.signal,
    processes: new Processes(),
    results: new Map(),
    params: {},
    log: () => {},
    sampling: { begin: () => {}, end: () => {} },
    track: (m) => m,
    external: (_label, run) => run(),
    measure: (load, o) => measure(load, { driverFactory: drivers[o?.driver ?? '']!, signal: controller.signal }),
  };
}

test('pipeline: a failed request names its cell and kind in the notes the summary prints', async () => {
  const ctx = context({ simple: () => answers(0, ''), hooks: () => answers(0, ''), module: () => answers(40, 'rpc_error_-32603') });
  const env = { simple: { url: '' }, hooks: { url: '' }, module: { url: '' } };
  const out = await pipeline.run!(ctx, env);
  assert.ok(out.metrics!.pipeline_failed!.value > 0);
  const named = out.notes!.filter((n) => /operations failed|failed \(/.test(n));
  assert.equal(named.length, 1, out.notes!.join(' | '));
  assert.match(named[0]!, /^module pipeline: \d+ of \d+ operations failed \(\{"rpc_error_-32603":\d+\}/);
  // The figures of every cell and the overheads are there; the result is the simple cell's.
  for (const k of ['simple_p95_ms', 'hooks_p95_ms', 'module_p95_ms', 'hooks_overhead_p50_ms', 'module_overhead_p50_ms']) assert.ok(out.metrics![k], k);
  assert.ok(out.measurement);
});
