// The ticker's helper thread (see ticker.ts). Plain JavaScript: it must start in a few ms and load
// nothing, so it skips the tsx registration other kit workers need.
import { writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

// Named so the generator's CPU can leave this thread out of what its drivers cost (thread-cpu.ts).
try {
  writeFileSync('/proc/thread-self/comm', 'wb-ticker');
} catch {
  /* not Linux: the split is not made */
}

const gen = new Int32Array(workerData, 0, 1);
const due = new Float64Array(workerData, 8, 1);
// Below this much to go, a futex sleep would overshoot by the kernel's timer slack (~50 µs): fire
// now; the parent waits out the rest (ticker.ts).
const FIRE_WITHIN_MS = 0.02;
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

let fired = null;
parentPort.postMessage('up'); // the ticker's `ready`: messages from this loop now reach the parent
for (;;) {
  const g = Atomics.load(gen, 0);
  const at = due[0];
  if (at === Number.NEGATIVE_INFINITY) break; // disposed
  if (g === fired || Number.isNaN(at)) {
    Atomics.wait(gen, 0, g); // nothing armed: sleep until the next at() or cancel()
    continue;
  }
  const left = at - nowMs();
  if (left > FIRE_WITHIN_MS) {
    Atomics.wait(gen, 0, g, left); // returns early when re-armed
    continue;
  }
  fired = g;
  parentPort.postMessage(g);
}
