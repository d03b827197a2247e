import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandlerRegistry, NonceStore, buildAgent, buildEchoReply } from './index.js';
import { envelope, post, request } from './test-helpers.js';

test('rate limit: 429 with Retry-After and the spec body; only POST /asap is limited', async () => {
  const app = buildAgent({ rateLimit: { max: 2, timeWindow: '1 minute' } });
  try {
    assert.equal((await post(app, request())).status, 200);
    assert.equal((await post(app, request())).status, 200);
    const r = await post(app, request());
    assert.equal(r.status, 429);
    const retry = Number(r.headers['retry-after']);
    assert.ok(retry >= 1 && retry <= 60, String(r.headers['retry-after']));
    assert.deepEqual(r.json, { jsonrpc: '2.0', id: null, error: { code: 429, message: 'Rate limit exceeded', data: { retry_after: retry, limit: '2 per 1 minute' } } });
    assert.deepEqual(Object.keys(r.json), ['jsonrpc', 'id', 'error']);
    assert.equal((await app.inject({ url: '/.well-known/asap/manifest.json' })).statusCode, 200);
    assert.equal((await app.inject({ url: '/asap/metrics' })).statusCode, 200);
  } finally {
    await app.close();
  }
});

test('the size check (413) comes before the rate limit (429)', async () => {
  const app = buildAgent({ rateLimit: { max: 1, timeWindow: 60_000 }, maxRequestSize: 1000 });
  try {
    await post(app, request());
    const big = await post(app, JSON.stringify({ pad: 'x'.repeat(2000) }));
    assert.equal(big.status, 413);
  } finally {
    await app.close();
  }
});

test('nonces: replay rejected with -32602 invalid_nonce; empty nonce rejected; off by default', async () => {
  const app = buildAgent({ rateLimit: false, requireNonce: true });
  try {
    const withNonce = (nonce: unknown, id: string) => request(envelope({ id, extensions: { nonce } }));
    assert.ok((await post(app, withNonce('n-1', 'A'))).json.result);
    const replay = await post(app, withNonce('n-1', 'B'));
    assert.equal(replay.json.error.code, -32602);
    assert.deepEqual(replay.json.error.data, {
      error: 'Invalid envelope nonce',
      code: 'asap:protocol/invalid_nonce',
      message: 'Duplicate nonce detected: n-1',
      details: { nonce: 'n-1', envelope_id: 'B' },
    });
    const empty = await post(app, withNonce('', 'C'));
    assert.equal(empty.json.error.data.message, 'Nonce must be a non-empty string, got empty string');
    assert.ok((await post(app, request())).json.result, 'no nonce is fine');
  } finally {
    await app.close();
  }
  const off = buildAgent({ rateLimit: false });
  try {
    const e = request(envelope({ extensions: { nonce: 'same' } }));
    assert.ok((await post(off, e)).json.result);
    assert.ok((await post(off, e)).json.result);
  } finally {
    await off.close();
  }
});

test('NonceStore: TTL expiry and bounded size', () => {
  const s = new NonceStore({ ttlSeconds: 1, maxEntries: 3 });
  assert.equal(s.checkAndMark('a', 0), false);
  assert.equal(s.checkAndMark('a', 500), true);
  assert.equal(s.checkAndMark('a', 1001), false, 'expired nonce may be used again');
  for (let i = 0; i < 100; i++) s.checkAndMark(`k${i}`, 1001);
  assert.ok(s.size <= 3);
  s.checkAndMark('late', 5000);
  assert.equal(s.size, 1, 'expired entries are swept');
});

test('maxConcurrency: a full handler pool answers 503 with the spec body, then recovers', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const handlers = new HandlerRegistry().register('task.request', async (env, ctx) => {
    await gate;
    return buildEchoReply(env, ctx.manifest, null);
  });
  const app = buildAgent({ rateLimit: false, maxConcurrency: 1, handlers });
  try {
    const first = post(app, request(envelope(), 1));
    await new Promise((r) => setTimeout(r, 50));
    const busy = await post(app, request(envelope(), 2));
    assert.equal(busy.status, 503);
    assert.deepEqual(busy.json, {
      error: 'Service Temporarily Unavailable',
      code: 'asap:transport/thread_pool_exhausted',
      message: 'Thread pool exhausted: 1/1 threads in use. Service temporarily unavailable.',
      details: { max_threads: 1, active_threads: 1 },
    });
    const batch = await post(app, [request(envelope(), 3)]);
    assert.equal(batch.json[0].error.code, -32603);
    release();
    assert.equal((await first).status, 200);
    assert.equal((await post(app, request(envelope(), 4))).status, 200);
    const metrics = (await app.inject({ url: '/asap/metrics' })).body;
    assert.match(metrics, /^asap_thread_pool_exhausted_total 2$/m);
  } finally {
    release();
    await app.close();
  }
});

test('timestamp window can be disabled', async () => {
  const app = buildAgent({ rateLimit: false, timestampWindow: false });
  try {
    assert.ok((await post(app, request(envelope({ timestamp: '2001-01-01T00:00:00Z' })))).json.result);
  } finally {
    await app.close();
  }
});
