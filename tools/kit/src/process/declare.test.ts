import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import test from 'node:test';
import { isWbError } from '../errors.js';
import { execFileSync } from 'node:child_process';
import { compiledCommand, freePort, packageDir, target } from './declare.js';

test('target() resolves a package and its main to a script path; the suite computes none', () => {
  const spec = target({ package: 'hdr-histogram-js', main: 'package.json', role: 'r', ready: { port: 1 } });
  assert.ok(spec.script && existsSync(spec.script), spec.script);
  assert.equal(spec.role, 'r');
  assert.ok(!('package' in spec) && !('main' in spec));
  assert.ok(existsSync(`${packageDir('@wirebench/kit')}/bin/wirebench.js`), 'a workspace package whose exports hide package.json');
});

test('target() names what is missing: an unknown package, a main the package lacks', () => {
  assert.throws(() => target({ package: '@wirebench/no-such', main: 'x.ts', role: 'r', ready: { port: 1 } }), (e: unknown) => isWbError(e) && e.code === 'WB_ERR_TARGET_START' && /no-such/.test(e.message) && /dependencies/.test(e.hint));
  assert.throws(() => target({ package: 'hdr-histogram-js', main: 'src/nope-main.ts', role: 'r', ready: { port: 1 } }), (e: unknown) => isWbError(e) && /has no src\/nope-main\.ts/.test(e.message));
});

test('freePort() gives a loopback port that can be bound at once', async () => {
  const port = await freePort();
  assert.ok(port > 0 && port < 65536);
  const srv = createServer();
  await new Promise<void>((resolve, reject) => srv.once('error', reject).listen(port, '127.0.0.1', resolve));
  await new Promise<void>((r) => srv.close(() => r()));
});

test('compiledCommand() runs a package main as compiled JavaScript with plain node, no loader', async () => {
  const cmd = await compiledCommand({ package: '@wirebench/kit', main: 'src/fixtures/compiled-meta.ts' });
  assert.equal(cmd[0], process.execPath);
  assert.match(cmd[1] ?? '', /\.m?js$/);
  const out = JSON.parse(execFileSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' }).trim().split('\n').pop()!) as { code: string };
  assert.equal(out.code, 'WB_ERR_INVALID_OPTION');
});
