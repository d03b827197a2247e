/** The faults scenario's windows: long enough for what each fault disturbs to settle and the kit to see it over. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACK_WAIT_MS, faultConfigs, faultPrefix, faultTimes, windowProblems } from './scenarios/faults.js';

test('every window, smoke and full, holds its settle time, a restart and the quiet period', () => {
  for (const smoke of [true, false]) {
    for (const d of ['core', 'jetstream'] as const) assert.deepEqual(windowProblems(d, faultTimes(d, smoke)), [], `${d}, ${smoke ? 'smoke' : 'full'}`);
  }
});

test('a window too short for its settle time is caught', () => {
  const core = faultTimes('core', true);
  // Core's lost events are known only when the driver gives up (3 s after their send, up to 1 s after the kill): a 4 s kill window leaves no quiet second.
  assert.match(windowProblems('core', { ...core, killStageMs: 4000 }).join('; '), /core: kill window 4000 ms < 4000 \+ 1000 ms/);
  assert.match(windowProblems('core', { ...core, restartStageMs: 5000 }).join('; '), /nats restart window 4000 ms < 4000 \+ 1000 ms/);
  const js = faultTimes('jetstream', true);
  assert.match(windowProblems('jetstream', { ...js, killStageMs: ACK_WAIT_MS }).join('; '), /jetstream: kill window/);
  // A JetStream server restart delays events by its outage (2.4 s to over 3 s): a 4 s window after the fault leaves no quiet second.
  assert.match(windowProblems('jetstream', { ...js, restartStageMs: 5000 }).join('; '), /jetstream: nats restart window 4000 ms < 3500 \+ 1000 ms/);
  assert.match(windowProblems('jetstream', { ...js, forgetAfterMs: ACK_WAIT_MS }).join('; '), /redelivered after ack_wait/);
  assert.match(windowProblems('jetstream', { ...js, timeoutMs: js.forgetAfterMs }).join('; '), /before the kit's timeout/);
});

test('configurations: smoke keeps commit each, full runs add group; commit each keeps the old metric names', () => {
  assert.deepEqual(faultConfigs(true).map(faultPrefix), ['core', 'jetstream']);
  assert.deepEqual(faultConfigs(false).map(faultPrefix).sort(), ['core', 'core_group', 'jetstream', 'jetstream_group']);
});
