/** The soak's plan: an unmeasured settle stage at the soak's own rate, then the measured part the slopes are judged on. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SOAK_RATE, soakLoad } from './scenarios/soak.js';

const full = (params: Record<string, string> = {}) => ({ smoke: false, params });

test('a full soak settles 12 min unmeasured (the 16 MB page cache fills in ~10), then measures 3 min, both at the same rate', () => {
  const l = soakLoad(full());
  assert.deepEqual(l.stages.map((s) => [s.name, s.warmup ?? false, s.rate, s.durationMs]), [
    ['settle', true, SOAK_RATE, 12 * 60_000],
    ['soak', false, SOAK_RATE, 3 * 60_000],
  ]);
  assert.equal(l.isolate, true);
  assert.deepEqual(l.params, { rate: SOAK_RATE, settleMinutes: 12, soakMinutes: 3 });
});

test('--set soakSettleMinutes and soakMinutes move the two parts; 0 settle measures from the start', () => {
  assert.deepEqual(soakLoad(full({ soakSettleMinutes: '20', soakMinutes: '10' })).stages.map((s) => s.durationMs), [20 * 60_000, 10 * 60_000]);
  const none = soakLoad(full({ soakSettleMinutes: '0' })).stages;
  assert.deepEqual(none.map((s) => s.name), ['soak']);
  // Not a number, or no measured time at all: the defaults.
  assert.deepEqual(soakLoad(full({ soakSettleMinutes: 'x', soakMinutes: '0' })).stages.map((s) => s.durationMs), [12 * 60_000, 3 * 60_000]);
});

test('a smoke soak is seconds long (its slope is not judged)', () => {
  assert.deepEqual(soakLoad({ smoke: true, params: {} }).stages.map((s) => [s.name, s.durationMs]), [['settle', 500], ['soak', 3000]]);
});
