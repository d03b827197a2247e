/**
 * The reply validators against the real agent (built in-process, fastify inject): the suite's own
 * request text must get a reply they accept, and each way a reply can be wrong must be named.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { buildAgent } from '@wirebench/jsonrpc-agent';
import {
  ASAP_PATH,
  CLIENT_URN,
  MANIFEST_PATH,
  METRICS_PATH,
  batchRequest,
  checkBaselineText,
  checkBatchText,
  checkManifestText,
  checkMetricsText,
  checkSendText,
  inputOfSize,
  taskTemplate,
} from './wire.js';

const app = buildAgent({ rateLimit: false });
after(() => app.close());

async function post(body: string): Promise<string> {
  const r = await app.inject({ method: 'POST', url: ASAP_PATH, payload: body, headers: { 'content-type': 'application/json' } });
  assert.equal(r.statusCode, 200, r.body);
  return r.body;
}

const SMALL = taskTemplate(inputOfSize(0));

test('checkSendText: the agent\'s reply to the suite\'s own request is ok', async () => {
  const text = await post(SMALL.request(7, 'bench-0-7'));
  assert.equal(checkSendText(text, 7, 'bench-0-7', SMALL.inputJson), null);
});

test('checkSendText: wrong id, wrong correlation id, wrong echo, JSON-RPC error and bad JSON are errors of their kind', async () => {
  const text = await post(SMALL.request(7, 'bench-0-7'));
  // The same reply checked against another request.
  assert.equal(checkSendText(text, 8, 'bench-0-7', SMALL.inputJson), 'rpc_id_mismatch');
  assert.equal(checkSendText(text, 7, 'bench-0-8', SMALL.inputJson), 'correlation_mismatch');
  assert.equal(checkSendText(text, 7, 'bench-0-7', JSON.stringify({ text: 'hello', n: 43 })), 'echo_mismatch');
  // A reply whose echo was altered on the way.
  assert.equal(checkSendText(text.replace('"n":42', '"n":41'), 7, 'bench-0-7', SMALL.inputJson), 'echo_mismatch');
  // A real JSON-RPC error from the agent: a sender that is no agent URN is invalid params.
  const err = await post(SMALL.request(9, 'bench-0-9').replace(`"sender":"${CLIENT_URN}"`, '"sender":"nope"'));
  assert.equal(checkSendText(err, 9, 'bench-0-9', SMALL.inputJson), 'rpc_error_-32602');
  assert.equal(checkSendText('{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params"},"id":7}', 7, 'bench-0-7', SMALL.inputJson), 'rpc_error_-32602');
  assert.equal(checkSendText(text.slice(0, -3), 7, 'bench-0-7', SMALL.inputJson), 'bad_json');
  assert.equal(checkSendText('{"jsonrpc":"1.0","result":{},"id":7}', 7, 'bench-0-7', SMALL.inputJson), 'rpc_shape');
  assert.equal(checkSendText(text.replace('"payload_type":"task.response"', '"payload_type":"task.request"'), 7, 'bench-0-7', SMALL.inputJson), 'envelope_mismatch');
});

test('checkSendText: a big input is matched in the text (fast path) and a changed echo is still caught', async () => {
  const big = taskTemplate(inputOfSize(10 * 1024));
  assert.ok(big.inputJson.length > 4096, 'takes the fast path');
  const text = await post(big.request(3, 'bench-1-3'));
  assert.equal(checkSendText(text, 3, 'bench-1-3', big.inputJson), null);
  assert.equal(checkSendText(text.replace('value-0123456789abcdef', 'value-0123456789abcdeX'), 3, 'bench-1-3', big.inputJson), 'echo_mismatch');
  assert.equal(checkSendText(text, 3, 'bench-1-4', big.inputJson), 'correlation_mismatch');
});

test('checkBatchText: the agent\'s batch reply is ok; a missing or wrong member is named', async () => {
  const text = await post(batchRequest(SMALL, 10, 100, 'bench-0-5'));
  assert.equal(checkBatchText(text, 10, 100, 'bench-0-5', SMALL.inputJson), null);
  assert.equal(checkBatchText(text, 11, 100, 'bench-0-5', SMALL.inputJson), 'batch_shape');
  assert.equal(checkBatchText(text, 10, 200, 'bench-0-5', SMALL.inputJson), 'batch_missing_reply');
  assert.equal(checkBatchText(text, 10, 100, 'bench-0-6', SMALL.inputJson), 'correlation_mismatch');
});

test('checkManifestText, checkMetricsText, checkBaselineText: right replies ok, others named', async () => {
  const manifest = (await app.inject({ method: 'GET', url: MANIFEST_PATH })).body;
  assert.equal(checkManifestText(manifest), null);
  assert.equal(checkManifestText('{"id":"urn:asap:agent:other"}'), 'manifest_mismatch');
  assert.equal(checkManifestText('<html>'), 'bad_json');
  const metrics = (await app.inject({ method: 'GET', url: METRICS_PATH })).body;
  assert.equal(checkMetricsText(metrics), null);
  assert.equal(checkMetricsText('# nothing here'), 'metrics_mismatch');
  assert.equal(checkBaselineText('{"hello":"world"}'), null);
  assert.equal(checkBaselineText('{"hello":"there"}'), 'body_mismatch');
});
