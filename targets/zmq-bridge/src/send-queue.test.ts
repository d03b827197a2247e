import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dealer, Router } from 'zeromq';
import { SendQueue } from './send-queue.js';
import { LOOPBACK_ANY, eventually } from './test-helpers.js';

test('a send queue keeps order through backpressure, skips unwanted sends and reports a closed socket', async (t) => {
  // A peer that does not read yet, and a tiny high-water mark: sends soon stay pending, so later
  // ones must wait in the queue (zeromq.js would throw EBUSY for them) and still arrive in order.
  const router = new Router({ linger: 0, receiveHighWaterMark: 2 });
  await router.bind(LOOPBACK_ANY);
  const dealer = new Dealer({ linger: 0, sendHighWaterMark: 2 });
  t.after(() => {
    dealer.close();
    router.close();
  });
  dealer.connect(router.lastEndpoint as string);
  const q = new SendQueue(dealer);
  const N = 2000;
  const payload = Buffer.alloc(64 * 1024); // big enough that the socket buffers fill too
  const sent: Array<Promise<void>> = [];
  for (let i = 0; i < N; i++) {
    const skip = i % 10 === 5;
    sent.push(q.send([Buffer.from(String(i)), payload], skip ? () => false : undefined));
  }
  let settledEarly = 0;
  for (const p of sent) void p.then(() => settledEarly++);
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(settledEarly < N, `backpressure held some sends back (${settledEarly} of ${N} done before the peer read)`);

  const got: number[] = [];
  void (async () => {
    for await (const [, seq] of router) got.push(Number(String(seq)));
  })().catch(() => undefined);
  await Promise.all(sent);
  const expected = Array.from({ length: N }, (_, i) => i).filter((i) => i % 10 !== 5);
  await eventually(() => got.length >= expected.length, 10_000, 'every wanted message');
  assert.deepEqual(got, expected, 'every wanted message, once, in order; unwanted ones never sent');

  dealer.close();
  await assert.rejects(q.send([Buffer.from('late')]), 'a send on a closed socket rejects to its caller');
});
