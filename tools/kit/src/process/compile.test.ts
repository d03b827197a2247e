import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileScript } from './compile.js';
import { isWbError } from '../errors.js';

const here = path.dirname(fileURLToPath(import.meta.url));

test('a TypeScript target compiles to one module that plain node runs: sources in, packages imported, import.meta.url per source', async () => {
  const src = path.join(here, '..', 'fixtures', 'compiled-meta.ts');
  const js = await compileScript(src);
  assert.match(js, /\.mjs$/);
  assert.ok(js.includes(`${path.sep}node_modules${path.sep}.cache${path.sep}wirebench${path.sep}`), `inside the package's cache (${js})`);
  const code = readFileSync(js, 'utf8');
  assert.match(code, /from "hdr-histogram-js"/, 'a node_modules package stays an import');
  assert.match(code, /\/\/ src\/errors.ts/, 'a source file is compiled in');
  const out = JSON.parse(execFileSync(process.execPath, [js], { encoding: 'utf8' })) as { url: string; histogram: string; builtin: string; code: string };
  assert.deepEqual(out, { url: pathToFileURL(src).href, histogram: 'function', builtin: 'function', code: 'WB_ERR_INVALID_OPTION' });
  assert.equal(await compileScript(src), js, 'compiled once per kit process');
  assert.equal(await compileScript('/some/where/main.mjs'), '/some/where/main.mjs', 'JavaScript runs as it is');
});

test('a script that does not compile is a coded error naming the file and the line', async () => {
  await assert.rejects(compileScript(path.join(here, '..', 'fixtures', 'no-such-target.ts')), (e: unknown) => isWbError(e) && e.code === 'WB_ERR_TARGET_START' && /no-such-target\.ts/.test(e.message));
});
