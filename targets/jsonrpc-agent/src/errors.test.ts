import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRateLimit } from './cli.js';
import { AGENT_ERROR_HINTS, AgentError, buildAgent, createEnvelope, parseAndValidateEnvelope, withTimeout } from './index.js';
import type { AgentErrorCode } from './index.js';
import { CLIENT } from './test-helpers.js';

test('every AgentError carries code, message and a hint (the table entry unless the site gives its own)', () => {
  for (const code of Object.keys(AGENT_ERROR_HINTS) as AgentErrorCode[]) {
    const e = new AgentError(code, 'what happened');
    assert.equal(e.hint, AGENT_ERROR_HINTS[code]);
    assert.match(e.hint, /\.$/);
    assert.equal(String(e), `${code}: what happened. ${e.hint}`);
  }
  const own = new AgentError('WB_ERR_INVALID_OPTION', 'x', { a: 1 }, { hint: 'Do y.', cause: 'z' });
  assert.deepEqual([own.code, own.message, own.details, own.hint, own.cause], ['WB_ERR_INVALID_OPTION', 'x', { a: 1 }, 'Do y.', 'z']);
});

test('throw sites: the message says what happened, the hint what to do', async () => {
  const cases: Array<[() => unknown, AgentErrorCode, RegExp, RegExp]> = [
    [() => createEnvelope({ sender: 'nope', recipient: CLIENT, payload_type: 'x', payload: {} }), 'WB_ERR_INVALID_ENVELOPE', /^Invalid envelope structure: sender: /, /^Fix the fields/],
    [() => parseAndValidateEnvelope('{'), 'WB_ERR_INVALID_ENVELOPE', /^Invalid JSON/, /^Send one well-formed JSON object\.$/],
    [() => parseRateLimit('lots'), 'WB_ERR_INVALID_OPTION', /^Cannot read rate limit 'lots'$/, /^Use e\.g\. 100\/minute/],
    [() => buildAgent({ maxConcurrency: -1 }), 'WB_ERR_INVALID_OPTION', /positive integer/, /README/],
  ];
  for (const [run, code, message, hint] of cases) {
    assert.throws(run, (e: unknown) => e instanceof AgentError && e.code === code && message.test(e.message) && hint.test(e.hint), String(message));
  }
  await assert.rejects(
    withTimeout(new Promise(() => undefined), 5, () => new AgentError('WB_ERR_HOOK_TIMEOUT', 'late')),
    (e: unknown) => e instanceof AgentError && e.hint === AGENT_ERROR_HINTS.WB_ERR_HOOK_TIMEOUT,
  );
});
