import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AgentError, buildAgent, normalizeManifest } from './index.js';

test('GET manifest: default server manifest with every field, nulls included', async () => {
  const app = buildAgent({ rateLimit: false });
  try {
    const r = await app.inject({ url: '/.well-known/asap/manifest.json' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(r.body), {
      id: 'urn:asap:agent:default-server',
      name: 'ASAP Default Server',
      version: '1.0.0-dev',
      description: 'Default ASAP protocol server with echo capabilities',
      capabilities: {
        asap_version: '0.1',
        skills: [{ id: 'echo', description: 'Echo back the input', input_schema: null, output_schema: null }],
        state_persistence: false,
        streaming: false,
        mcp_tools: [],
      },
      endpoints: { asap: 'http://localhost:8000/asap', events: null },
      auth: null,
      signature: null,
    });
  } finally {
    await app.close();
  }
});

test('manifest validation: URN id, PEP 440 version, URL endpoint, auth schemes', () => {
  const base = { id: 'urn:asap:agent:x', name: 'x', version: '1.2.3rc1', description: 'd', endpoints: { asap: 'http://127.0.0.1:1/asap' } };
  assert.equal(normalizeManifest(base).capabilities.asap_version, '0.1');
  assert.equal(normalizeManifest({ ...base, auth: { schemes: ['Bearer'] } }).auth?.oauth2, null);
  const bad = (m: object, what: RegExp) =>
    assert.throws(() => normalizeManifest({ ...base, ...m }), (e: unknown) => e instanceof AgentError && e.code === 'WB_ERR_INVALID_MANIFEST' && what.test(e.message));
  bad({ id: 'agent-x' }, /id/);
  bad({ version: 'one' }, /version/);
  bad({ endpoints: { asap: 'not a url' } }, /endpoints\.asap/);
  bad({ auth: { schemes: ['digest'] } }, /auth\.schemes/);
});

test('a manifest with auth needs a token validator; bearer auth maps 401/403 to -32600/-32602', async () => {
  const manifest = { id: 'urn:asap:agent:secure', name: 's', version: '1.0.0', description: 'd', endpoints: { asap: 'http://x/asap' }, auth: { schemes: ['bearer'] } };
  assert.throws(() => buildAgent({ manifest }), /tokenValidator/);
  const app = buildAgent({ manifest, rateLimit: false, tokenValidator: (t) => (t === 'good' ? 'urn:asap:agent:bench-client' : null) });
  try {
    const { envelope, request, post } = await import('./test-helpers.js');
    const none = await post(app, request());
    assert.equal(none.json.error.code, -32600);
    assert.deepEqual(none.json.error.data, { error: 'Authentication required', status_code: 401 });
    const wrong = await post(app, request(), { authorization: 'Bearer bad' });
    assert.equal(wrong.json.error.code, -32600);
    const mismatch = await post(app, request(envelope({ sender: 'urn:asap:agent:someone-else' })), { authorization: 'Bearer good' });
    assert.equal(mismatch.json.error.code, -32602);
    assert.equal(mismatch.json.error.data.status_code, 403);
    const ok = await post(app, request(), { authorization: 'Bearer good' });
    assert.equal(ok.json.result.envelope.sender, 'urn:asap:agent:secure');
  } finally {
    await app.close();
  }
});
