import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildAgent } from './index.js';
import { assertServing, envelope, post, request } from './test-helpers.js';

// Expose gc() without requiring a flag in the test script.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

const BAD: unknown[] = [
  '{"jsonrpc":',
  '[]',
  '"str"',
  { jsonrpc: '1.0', method: 'asap.send', id: 1 },
  { jsonrpc: '2.0', method: 'nope', id: 2 },
  { jsonrpc: '2.0', method: 'asap.send', params: [1], id: 3 },
  request(envelope({ surprise: true })),
  request(envelope({ sender: 'bad urn' })),
  request(envelope({ timestamp: '2001-01-01T00:00:00Z' })),
  request(envelope({ payload_type: 'TaskResponse' })),
  request(envelope({ payload_type: 'unknown.type' })),
  [1, { jsonrpc: '2.0' }, request(envelope({ id: null, extra: 1 }))],
  `${'['.repeat(2000)}${']'.repeat(2000)}`,
];

test('thousands of bad requests in a row leave no measurable heap growth', async () => {
  const app = buildAgent({ rateLimit: false });
  try {
    const bodies = BAD.map((b) => (typeof b === 'string' ? b : JSON.stringify(b)));
    const round = async (n: number) => {
      for (let i = 0; i < n; i++) await post(app, bodies[i % bodies.length] as string);
    };
    // Warm-up: compiled code, label children and inject internals settle over the first few thousand.
    await round(4000);
    // A leak grows the heap in every round; noise (a late warm-up step, a GC left half done) in some.
    // So the smallest of three rounds' growths is held to the bound, as leak detectors do.
    const n = 3000;
    const growths: number[] = [];
    let last = heapAfterGc();
    for (let r = 0; r < 3; r++) {
      await round(n);
      const now = heapAfterGc();
      growths.push(now - last);
      last = now;
    }
    const kb = growths.map((g) => `${(g / 1024).toFixed(0)} KB`).join(', ');
    // 64 bytes per request would be 192 KB a round; after warm-up a round's noise stays well under it.
    assert.ok(Math.min(...growths) < n * 64, `heap grew in every round of ${n} bad requests: ${kb}`);
    assert.ok(growths.reduce((a, b) => a + b, 0) < 2 * 1024 * 1024, `heap grew by more than 2 MB over ${3 * n} bad requests: ${kb}`);
    await assertServing(app);
  } finally {
    await app.close();
  }
});
