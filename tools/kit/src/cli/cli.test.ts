import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readResults } from '../results/resultfile.js';
import { drawWindows, syntheticResult } from '../fixtures/synthetic.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, '..', '..', 'bin', 'wirebench.js');
const FIXTURE = path.join(here, '..', 'fixtures', 'fixture-suite.ts');

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true', ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wb-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function assertOneLineError(r: { code: number | null; stderr: string }, code: string): void {
  assert.notEqual(r.code, 0, 'non-zero exit');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0]!, new RegExp(`^${code}: `));
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

test('bench writes schema-valid results, compare and report read them, baseline save copies them', (t) => {
  const dir = tmp(t);
  const run = cli(['bench', FIXTURE, '--scenario', 'quick', '--results', dir, '--run-id', 'r1']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /quick/);
  const [r] = readResults(path.join(dir, 'runs', 'fixture', 'r1'));
  assert.equal(r!.scenario, 'quick');
  assert.equal(r!.valid, true);
  assert.ok(r!.counts.ok > 0 && r!.counts.ok === r!.counts.sent);
  assert.deepEqual(r!.slo.map((s) => s.pass), [true, true]);
  assert.equal(r!.env.libraries['hdr-histogram-js'] !== 'not installed', true);
  assert.ok(r!.resources.processes.some((p) => p.role === 'generator'));

  assert.equal(cli(['bench', FIXTURE, '--scenario', 'quick', '--results', dir, '--run-id', 'r2']).code, 0);
  const cmp = cli(['compare', path.join(dir, 'runs', 'fixture', 'r1'), path.join(dir, 'runs', 'fixture', 'r2'), '--threshold', '1000']);
  assert.equal(cmp.code, 0, cmp.stdout + cmp.stderr);
  assert.match(cmp.stdout, /no significant regression/);
  // Separate runs: compare says it cannot tell the machine from the change, and how far the machine moved (bench's noise probe).
  assert.match(cmp.stdout, /separate runs: machine and change are confounded; use wirebench ab/);
  assert.match(cmp.stdout, /machine noise at run start \(1000 ms probe\): baseline longest gap \d+\.\d\d ms, .* current longest gap/);
  assert.match(cmp.stdout, /the machine moved: longest gap (×\d|from none|none either)/);
  assert.equal(typeof r!.env.noise?.maxGapMs, 'number');
  const md = cli(['report', path.join(dir, 'runs', 'fixture', 'r2'), '--baseline', path.join(dir, 'runs', 'fixture', 'r1')]);
  assert.equal(md.code, 0, md.stderr);
  assert.match(md.stdout, /## Benchmark Results/);
  assert.match(md.stdout, /\| Scenario \| Metric \| Current \| Baseline \| Change \| Status \|/);
  const json = cli(['report', path.join(dir, 'runs', 'fixture', 'r2'), '--format', 'json']);
  assert.equal(JSON.parse(json.stdout).results[0].scenario, 'quick');
  const saved = cli(['baseline', 'save', path.join(dir, 'runs', 'fixture', 'r1'), '--name', 'main', '--results', dir]);
  assert.equal(saved.code, 0, saved.stderr);
  assert.ok(existsSync(path.join(dir, 'baselines', 'fixture', 'main', 'quick.json')));
});

test('compare exits 1 on a regression and 0 when nothing regressed', (t) => {
  const dir = tmp(t);
  const base = syntheticResult(drawWindows(10, 100, () => 1000 + Math.random() * 100));
  const worse = syntheticResult(drawWindows(10, 100, () => 2000 + Math.random() * 100));
  writeFileSync(path.join(dir, 'base.json'), JSON.stringify(base));
  writeFileSync(path.join(dir, 'worse.json'), JSON.stringify(worse));
  const r = cli(['compare', path.join(dir, 'base.json'), path.join(dir, 'worse.json')]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /REGRESSED/);
  assert.equal(cli(['compare', path.join(dir, 'worse.json'), path.join(dir, 'base.json')]).code, 0, 'an improvement is not a failure');
});

test('bench exits 99 when only SLOs failed (k6), 1 when a run is invalid, 0 with --no-fail', (t) => {
  const dir = tmp(t);
  const r = cli(['bench', FIXTURE, '--scenario', 'failing-slo', '--results', dir]);
  assert.equal(r.code, 99, r.stderr);
  assert.match(r.stdout, /SLO failed: failing-slo/);
  assert.equal(cli(['bench', FIXTURE, '--scenario', 'failing-slo', '--results', dir, '--no-fail']).code, 0);
  const invalid = cli(['bench', FIXTURE, '--scenario', 'invalid,failing-slo', '--results', dir]);
  assert.equal(invalid.code, 1, 'an invalid run outranks a failed SLO');
  assert.match(invalid.stdout, /invalid: invalid: forced by the fixture/);
});

test('goals are judged in full runs and only reported in smoke runs', (t) => {
  const dir = tmp(t);
  const full = cli(['bench', FIXTURE, '--scenario', 'failing-goal', '--results', dir]);
  assert.equal(full.code, 99, full.stderr);
  assert.match(full.stdout, /goal failed: failing-goal/);
  const smoke = cli(['bench', FIXTURE, '--scenario', 'failing-goal', '--results', dir, '--smoke']);
  assert.equal(smoke.code, 0, smoke.stdout);
  assert.match(smoke.stdout, /goal missed \(not judged in a smoke run\): failing-goal/);
});

test('bad input gets one clear line on stderr and a non-zero exit, never a stack trace', (t) => {
  const dir = tmp(t);
  assertOneLineError(cli(['bench', 'no-such-suite']), 'WB_ERR_UNKNOWN_SUITE');
  assertOneLineError(cli(['bench', FIXTURE, '--scenario', 'nope', '--results', dir]), 'WB_ERR_UNKNOWN_SCENARIO');
  assertOneLineError(cli(['bench', FIXTURE, '--bogus']), 'WB_ERR_USAGE');
  assertOneLineError(cli(['bench', FIXTURE, '--set', 'novalue']), 'WB_ERR_INVALID_OPTION');
  assertOneLineError(cli(['frobnicate']), 'WB_ERR_USAGE');
  const good = syntheticResult(drawWindows(3, 10, () => 1000));
  writeFileSync(path.join(dir, 'good.json'), JSON.stringify(good));
  assertOneLineError(cli(['compare', path.join(dir, 'good.json'), path.join(dir, 'good.json'), '--threshold=-5']), 'WB_ERR_INVALID_OPTION');
  assertOneLineError(cli(['report', path.join(dir, 'good.json'), '--format', 'pdf']), 'WB_ERR_INVALID_OPTION');
  const text = JSON.stringify(good);
  writeFileSync(path.join(dir, 'truncated.json'), text.slice(0, text.length / 2));
  assertOneLineError(cli(['compare', path.join(dir, 'good.json'), path.join(dir, 'truncated.json')]), 'WB_ERR_RESULT_CORRUPT');
  writeFileSync(path.join(dir, 'garbage.json'), '{"schema":"wirebench/result@1","suite":42}');
  assertOneLineError(cli(['report', path.join(dir, 'garbage.json')]), 'WB_ERR_RESULT_SCHEMA');
  writeFileSync(path.join(dir, 'newer.json'), JSON.stringify({ ...good, schema: 'wirebench/result@2' }));
  assertOneLineError(cli(['report', path.join(dir, 'newer.json')]), 'WB_ERR_RESULT_NEWER');
  assertOneLineError(cli(['report', path.join(dir, 'missing.json')]), 'WB_ERR_NOT_FOUND');
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat); // a zombie is dead, just not reaped
  } catch {
    return false;
  }
}

test('SIGINT mid-run stops every child process and writes a result marked interrupted', async (t) => {
  const dir = tmp(t);
  const pidFile = path.join(dir, 'pids');
  const child = spawn(process.execPath, [BIN, 'bench', FIXTURE, '--scenario', 'with-child', '--results', dir, '--run-id', 'int'], {
    env: { ...process.env, CI: 'true', WB_FIXTURE_PIDS: pidFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  t.after(() => child.kill('SIGKILL'));
  const deadline = Date.now() + 20_000;
  while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim().split('\n').length < 2) {
    assert.ok(Date.now() < deadline, 'the target started');
    await new Promise((r) => setTimeout(r, 50));
  }
  const pids = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
  assert.ok(pids.every(alive), 'target and its child run');
  await new Promise((r) => setTimeout(r, 700)); // into the measured stage
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  assert.equal(code, 130, stderr);
  await new Promise((r) => setTimeout(r, 200));
  for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} is gone`);
  const files = readdirSync(path.join(dir, 'runs', 'fixture', 'int'));
  assert.deepEqual(files, ['with-child.json']);
  const [r] = readResults(path.join(dir, 'runs', 'fixture', 'int'));
  assert.equal(r!.interrupted, true);
  assert.equal(r!.valid, false);
  assert.ok(r!.counts.sent > 0, 'the partial measurement is kept');
});

test('noise: a process stopped for 300 ms shows a gap of that length; bad options are one line', async () => {
  const child = spawn(process.execPath, [BIN, 'noise', '--seconds', '2', '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (c: string) => (out += c));
  await new Promise<void>((resolve) => {
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      err += c;
      if (err.includes('spinning')) resolve();
    });
  });
  await new Promise((r) => setTimeout(r, 200)); // well inside the 2 s spin
  child.kill('SIGSTOP');
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGCONT');
  const code = await new Promise<number | null>((r) => child.once('close', r));
  assert.equal(code, 0);
  const report = JSON.parse(out) as { threads: number; maxGapMs: number; over1Ms: number; gapsMs: number[]; lostShare: number };
  assert.equal(report.threads, 1);
  assert.ok(report.maxGapMs >= 280, `the 300 ms stop shows (${report.maxGapMs} ms)`);
  assert.ok(report.over1Ms >= 1);
  assert.ok(report.lostShare > 0.1 && report.lostShare < 1, `lost share ${report.lostShare}`);
  assertOneLineError(cli(['noise', '--threads', '0']), 'WB_ERR_INVALID_OPTION');
  assertOneLineError(cli(['noise', '--threads', '100000']), 'WB_ERR_INVALID_OPTION');
  assertOneLineError(cli(['noise', '--format', 'xml', '--seconds', '0.1']), 'WB_ERR_INVALID_OPTION');
});

test('ab and ci: bad input is one line before anything is checked out', () => {
  assertOneLineError(cli(['ab', 'kit-self']), 'WB_ERR_USAGE');
  assertOneLineError(cli(['ab', 'no-such-suite', '--base', 'HEAD']), 'WB_ERR_UNKNOWN_SUITE');
  assertOneLineError(cli(['ab', 'suite-kit-self', '--base', 'no-such-rev-at-all']), 'WB_ERR_GIT');
  assertOneLineError(cli(['ab', 'kit-self', '--base', 'HEAD', '--rounds', '2.5']), 'WB_ERR_INVALID_OPTION');
  assertOneLineError(cli(['ci']), 'WB_ERR_USAGE');
});
