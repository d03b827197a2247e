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
    const before = heapAfterGc();
    const n = 4000;
    await round(n);
    const growth = heapAfterGc() - before;
    // A leak of 64 bytes per request would grow the heap by 256 KB here; after warm-up GC noise stays under ~50 KB.
    assert.ok(growth < n * 64, `heap grew by ${(growth / 1024).toFixed(0)} KB over ${n} bad requests (${(growth / n).toFixed(0)} B each)`);
    await assertServing(app);
  } finally {
    await app.close();
  }
});
