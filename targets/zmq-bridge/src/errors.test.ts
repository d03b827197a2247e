import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient } from './client.js';
import { decodeMessage } from './codec.js';
import { BridgeError, ERROR_HINTS, ErrorCode, isBridgeError } from './errors.js';
import { createWorker } from './worker.js';

test('every code has a hint, and each BridgeError carries code, message and its hint', () => {
  for (const code of Object.values(ErrorCode)) {
    assert.match(code, /^WB_ERR_ZMQ_[A-Z_]+$/);
    assert.ok((ERROR_HINTS[code] ?? '').length > 10, `a hint for ${code}`);
  }
  const e = new BridgeError(ErrorCode.BadJson, 'Invalid JSON: x');
  assert.deepEqual([e.name, e.code, e.message, e.hint], ['BridgeError', ErrorCode.BadJson, 'Invalid JSON: x', ERROR_HINTS[ErrorCode.BadJson]]);
  assert.ok(isBridgeError(e) && e instanceof Error);
});

test('throw sites raise BridgeError with its hint: options, decoding', () => {
  const thrown = (fn: () => unknown): BridgeError => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof BridgeError, `expected BridgeError, got ${String(e)}`);
      return e;
    }
    assert.fail('expected a throw');
  };
  for (const e of [
    thrown(() => createClient({ retries: 0 })),
    thrown(() => createWorker({ capacity: 0 })),
    thrown(() => decodeMessage([Buffer.from([0x09])])),
  ]) {
    assert.equal(e.hint, ERROR_HINTS[e.code]);
  }
});

test('a main that cannot start prints one line `code: message (hint)` and exits 1', () => {
  const main = fileURLToPath(new URL('./client-main.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, '--op', 'bogus'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 1);
  const line = r.stderr.trim();
  assert.ok(line.startsWith(`${ErrorCode.BadOption}: --op must be one of`), line);
  assert.ok(line.endsWith(`(${ERROR_HINTS[ErrorCode.BadOption]})`), line);
});
