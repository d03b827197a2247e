import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { LoopDelay } from './loop-delay.js';
import { Sampler } from './sampler.js';

const block = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

test('loop delay: a block is recorded, also one that ends right before stop(); a pause is not', async () => {
  const d = new LoopDelay();
  d.start();
  await sleep(50);
  assert.ok(d.maxMs < 40, `idle loop: ${d.maxMs} ms`);
  block(120);
  d.stop(); // the tick that would have seen the block never ran
  assert.ok(d.maxMs >= 100, `block before stop: ${d.maxMs} ms`);
  d.reset();
  await sleep(400); // stopped: time passing is not delay
  d.start();
  await sleep(60);
  d.stop();
  assert.ok(d.maxMs < 40, `after a 400 ms pause: ${d.maxMs} ms`);
  assert.ok(!d.running);
});

test('the generator’s event-loop delay covers measured intervals only: the gap between two is not a delay', async () => {
  const s = new Sampler(100);
  s.start();
  s.beginMeasured();
  await sleep(100);
  s.endMeasured();
  await sleep(600); // set-up between measurements, loop idle
  s.beginMeasured();
  await sleep(50);
  block(80);
  await sleep(50);
  s.endMeasured();
  const gen = s.stop().processes.find((p) => p.role === 'generator');
  const max = gen?.eventLoopDelayMs?.max ?? NaN;
  assert.ok(max >= 60 && max < 200, `generator event-loop delay max ${max} ms: the 80 ms block, not the 600 ms gap`);
});

test('a block that ends just before the first measured interval is not inside it', async () => {
  const s = new Sampler(100);
  s.start();
  block(150); // set-up work
  s.beginMeasured();
  await sleep(200);
  s.endMeasured();
  const max = s.stop().processes.find((p) => p.role === 'generator')?.eventLoopDelayMs?.max ?? NaN;
  assert.ok(max < 100, `generator event-loop delay max ${max} ms: the set-up block is outside`);
});
