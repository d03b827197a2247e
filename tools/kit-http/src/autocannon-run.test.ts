import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { summarizeMeasurement } from '@wirebench/kit';
import { autocannonRun } from './index.js';

test('an autocannon run becomes a kit measurement that counts every reply by outcome', async (t) => {
  let n = 0;
  const server = createServer((_req, res) => {
    n++;
    if (n % 10 === 0) {
      res.statusCode = 500;
      return res.end('no');
    }
    res.end(n % 10 === 1 ? 'wrong' : 'ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const run = await autocannonRun({ label: 'test', url, method: 'GET', connections: 4, durationMs: 1000, warmupMs: 0, verify: (b) => b === 'ok', signal: new AbortController().signal });
  const s = summarizeMeasurement(run.measurement);
  const c = s.counts;
  assert.ok(c.sent > 100, `sent ${c.sent}`);
  assert.equal(c.sent, c.ok + c.errors + c.timeouts);
  assert.ok(run.cutOff >= 0 && run.cutOff <= 4, `at most one request per connection is cut off (${run.cutOff})`);
  assert.ok(c.errorsByKind.non_2xx! > 0 && c.errorsByKind.body_mismatch! > 0, JSON.stringify(c.errorsByKind));
  // roughly 8 in 10 replies are valid
  assert.ok(c.ok / c.sent > 0.7 && c.ok / c.sent < 0.9, `${c.ok}/${c.sent}`);
  assert.equal(s.latencyMs.count, 0, 'no latency from a whole-millisecond tool');
  assert.ok(s.throughput.achieved > 0);
  assert.equal(run.perSecond.reduce((a, b) => a + b, 0) <= c.ok, true);
});

test('sampling is told around the measured run, after the warm-up', async (t) => {
  let served = 0;
  const server = createServer((_req, res) => {
    served++;
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const seen: Array<[string, number]> = [];
  const run = await autocannonRun({
    label: 'sampled', url, method: 'GET', connections: 2, durationMs: 1000, warmupMs: 1000, verify: (b) => b === 'ok', signal: new AbortController().signal,
    sampling: { begin: () => seen.push(['begin', served]), end: () => seen.push(['end', served]) },
  });
  assert.deepEqual(seen.map((x) => x[0]), ['begin', 'end']);
  assert.ok((seen[0]?.[1] ?? 0) > 0, 'the warm-up had already sent requests when sampling began');
  assert.ok((seen[1]?.[1] ?? 0) - (seen[0]?.[1] ?? 0) >= summarizeMeasurement(run.measurement).counts.ok, 'the measured replies came between begin and end');
});
