import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nowUs, sleep } from './clock.js';
import { Ticker } from './ticker.js';

test('a ticker wake-up fires once, never before its time; re-arming replaces it and cancel stops it', async (t) => {
  const ticker = new Ticker(0);
  t.after(() => ticker.dispose());
  await ticker.ready;

  const fired: number[] = [];
  const due = nowUs() + 3000;
  ticker.at(due, () => fired.push(nowUs()));
  await sleep(30);
  assert.equal(fired.length, 1, 'fired exactly once');
  assert.ok((fired[0] as number) >= due, `not early (${((fired[0] as number) - due).toFixed(0)} µs after due)`);

  const calls: string[] = [];
  ticker.at(nowUs() + 2000, () => calls.push('first'));
  ticker.at(nowUs() + 4000, () => calls.push('second'));
  await sleep(30);
  assert.deepEqual(calls, ['second'], 'the later at() replaced the pending one');

  ticker.at(nowUs() + 2000, () => calls.push('cancelled'));
  ticker.cancel();
  await sleep(30);
  assert.deepEqual(calls, ['second'], 'a cancelled wake-up never fires');
});

test('wake-ups keep the minimum gap, and a disposed ticker refuses new ones', async () => {
  const ticker = new Ticker(20_000);
  await ticker.ready;
  const times: number[] = [];
  await new Promise<void>((resolve) => {
    const again = (): void => {
      times.push(nowUs());
      if (times.length === 3) return resolve();
      ticker.at(nowUs(), again); // due at once: only the gap holds it back
    };
    ticker.at(nowUs(), again);
  });
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] as number) - (times[i - 1] as number);
    assert.ok(gap >= 20_000, `wake-ups ${i - 1} and ${i} are ${gap.toFixed(0)} µs apart (gap 20,000 µs)`);
  }
  await ticker.dispose();
  assert.throws(() => ticker.at(nowUs(), () => {}), /after dispose/);
});
