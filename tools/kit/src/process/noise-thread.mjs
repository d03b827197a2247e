// One spinning thread of `wirebench noise` (noise.ts): every gap between two clock reads of at
// least thresholdMs is time this thread did not run although it wanted to.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

const { durationMs, thresholdMs } = workerData;
parentPort.postMessage('spinning');
const gaps = [];
const end = performance.now() + durationMs;
let last = performance.now();
for (;;) {
  const now = performance.now();
  if (now - last >= thresholdMs) gaps.push(now - last);
  last = now;
  if (now >= end) break;
}
parentPort.postMessage(gaps);
