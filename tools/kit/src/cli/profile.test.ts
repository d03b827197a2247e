import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, '..', '..', 'bin', 'wirebench.js');
const FIXTURE = path.join(here, '..', 'fixtures', 'fixture-suite.ts');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 55_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wb-profile-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function assertOneLineError(r: { code: number | null; stderr: string }, code: string, exit: number): void {
  assert.equal(r.code, exit, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0]!, new RegExp(`^${code}: `));
}

test('profile runs a scenario with its script target under 0x and prints the flamegraph it wrote', { timeout: 60_000 }, (t) => {
  const dir = tmp(t);
  const r = cli(['profile', FIXTURE, '--scenario', 'http-target', '--tool', '0x', '--results', dir]);
  assert.equal(r.code, 0, r.stderr);
  const printed = r.stdout.trim();
  assert.match(printed, /\.html$/, r.stdout);
  const html = path.isAbsolute(printed) ? printed : path.resolve(printed);
  assert.ok(html.startsWith(path.join(dir, 'profiles', 'fixture') + path.sep), `${html} is under the results dir`);
  assert.match(path.basename(path.dirname(html)), /^http-target-http-0x-\d{8}T\d{6}Z$/);
  assert.ok(existsSync(html) && statSync(html).size > 10_000, 'a real flamegraph');
  assert.ok(readdirSync(path.dirname(html)).includes('result.json'), "the run's own result beside it");
});

test('profile --tool cpu-prof: V8 profiles of the target, summarized by origin and function in summary.txt', { timeout: 60_000 }, (t) => {
  const dir = tmp(t);
  const r = cli(['profile', FIXTURE, '--scenario', 'http-target', '--tool', 'cpu-prof', '--results', dir]);
  assert.equal(r.code, 0, r.stderr);
  const summary = path.resolve(r.stdout.trim());
  assert.ok(summary.startsWith(path.join(dir, 'profiles', 'fixture') + path.sep) && summary.endsWith('summary.txt'), r.stdout);
  assert.ok(readdirSync(path.dirname(summary)).some((f) => f.endsWith('.cpuprofile')), 'the profiles beside it');
  const text = readFileSync(summary, 'utf8');
  assert.match(text, /\.cpuprofile: busy [\d.]+ ms of [\d.]+ ms sampled/);
  // The fixture target is an HTTP server: its time is Node's own (http, net) and its script's.
  assert.match(text, /by origin \(self time\):\n(.|\n)*node:internal/);
  assert.match(text, /top functions \(self time\):/);
});

test('profile: a bad --tool is one WB_ERR_USAGE line and exit 2; no node target is one WB_ERR_PROFILE line and exit 1', { timeout: 60_000 }, (t) => {
  const dir = tmp(t);
  assertOneLineError(cli(['profile', FIXTURE, '--scenario', 'http-target', '--tool', 'perf', '--results', dir]), 'WB_ERR_USAGE', 2);
  const none = cli(['profile', FIXTURE, '--scenario', 'quick', '--results', dir]);
  assertOneLineError(none, 'WB_ERR_PROFILE', 1);
  assert.match(none.stderr, /started no node script target/);
  assert.equal(none.stdout, '');
});
