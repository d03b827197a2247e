import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DURATION_BUCKETS, buildAgent } from './index.js';
import { envelope, post, request } from './test-helpers.js';

test('metrics: content type, names, labels, buckets, payload_type normalization, error types', async () => {
  const app = buildAgent({ rateLimit: false });
  try {
    await post(app, request());
    await post(app, request());
    await post(app, '{oops');
    await post(app, request(envelope({ payload_type: 'made.up' })));
    await post(app, request(envelope({ timestamp: '2001-01-01T00:00:00Z' })));
    await post(app, request(envelope({ surprise: 1 })));
    const r = await app.inject({ url: '/asap/metrics' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    const text = r.body;
    for (const [name, type] of [
      ['asap_requests_total', 'counter'],
      ['asap_requests_success_total', 'counter'],
      ['asap_requests_error_total', 'counter'],
      ['asap_request_duration_seconds', 'histogram'],
      ['asap_thread_pool_exhausted_total', 'counter'],
      ['asap_process_uptime_seconds', 'gauge'],
    ]) {
      assert.match(text, new RegExp(`^# HELP ${name} .+$`, 'm'));
      assert.match(text, new RegExp(`^# TYPE ${name} ${type}$`, 'm'));
    }
    assert.match(text, /^asap_requests_total\{payload_type="task\.request",status="success"\} 2$/m);
    assert.match(text, /^asap_requests_success_total\{payload_type="task\.request"\} 2$/m);
    assert.match(text, /^asap_requests_error_total\{error_type="parse_error",payload_type="other"\} 1$/m);
    assert.match(text, /^asap_requests_error_total\{error_type="handler_not_found",payload_type="other"\} 1$/m);
    assert.match(text, /^asap_requests_error_total\{error_type="invalid_timestamp",payload_type="task\.request"\} 1$/m);
    assert.match(text, /^asap_requests_error_total\{error_type="invalid_envelope",payload_type="other"\} 1$/m);
    assert.doesNotMatch(text, /made\.up/, 'unregistered payload types never become label values');
    const les = [...text.matchAll(/^asap_request_duration_seconds_bucket\{le="([^"]+)",payload_type="task\.request",status="success"\} (\d+)$/gm)];
    assert.deepEqual(les.map((m) => m[1]), [...DURATION_BUCKETS.map(String), '+Inf']);
    const counts = les.map((m) => Number(m[2]));
    assert.deepEqual([...counts].sort((a, b) => a - b), counts, 'cumulative buckets');
    assert.equal(counts.at(-1), 2);
    assert.match(text, /^asap_request_duration_seconds_count\{payload_type="task\.request",status="success"\} 2$/m);
    assert.match(text, /^asap_process_uptime_seconds \d+(\.\d{1,3})?$/m);
  } finally {
    await app.close();
  }
});

test('two agents in one process keep separate registries', async () => {
  const a = buildAgent({ rateLimit: false });
  const b = buildAgent({ rateLimit: false });
  try {
    await post(a, request());
    const bText = (await b.inject({ url: '/asap/metrics' })).body;
    assert.doesNotMatch(bText, /status="success"/);
  } finally {
    await a.close();
    await b.close();
  }
});
