import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { drawWindows, syntheticResult } from '../fixtures/synthetic.js';
import { readResult, resultJsonSchema, writeJsonAtomic } from './resultfile.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHIPPED = path.join(here, '..', '..', 'schema', 'result.schema.json');

test('the shipped JSON Schema is the one the kit validates with (regenerate: wirebench schema > schema/result.schema.json)', () => {
  assert.deepEqual(JSON.parse(readFileSync(SHIPPED, 'utf8')), resultJsonSchema());
});

test('a result validates against the shipped schema with a stock validator, and a broken one does not', () => {
  const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(SHIPPED, 'utf8')));
  const r = syntheticResult(drawWindows(2, 10, () => 500));
  assert.equal(validate(r), true, JSON.stringify(validate.errors));
  assert.equal(validate({ ...r, counts: { ...r.counts, ok: -1 } }), false);
  const { latencyMs: _dropped, ...missing } = r;
  assert.equal(validate(missing), false);
});

test('results are written atomically: no temp file is left and the file reads back', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wb-atomic-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'a', 'b', 'r.json');
  const r = syntheticResult(drawWindows(2, 10, () => 500));
  writeJsonAtomic(file, r);
  writeJsonAtomic(file, r);
  assert.deepEqual(readdirSync(path.dirname(file)), ['r.json']);
  assert.deepEqual(readResult(file), r);
});
