import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readResults } from '../results/resultfile.js';
import { parseShard, remoteTargets } from './bench.js';
import { hostPort } from '../process/remote.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, '..', '..', 'bin', 'wirebench.js');
const FIXTURE = path.join(here, '..', 'fixtures', 'fixture-suite.ts');

function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wb-shard-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function cliAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stderr += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('exit', (code) => resolve({ code, stderr }));
  });
}

test('--shard i/N, --target and --container parse strictly', () => {
  assert.deepEqual(parseShard('1/3'), { index: 1, count: 3 });
  for (const bad of ['3/3', '1', '-1/2', '0/0', 'a/b']) assert.throws(() => parseShard(bad), /WB_ERR_INVALID_OPTION|--shard/);
  const r = remoteTargets(['broker=tcp://127.0.0.1:5555,tcp://127.0.0.1:5556', 'http=http://127.0.0.1:8080/'], ['broker=wb-zmq-broker']);
  assert.deepEqual(r.get('broker'), { url: 'tcp://127.0.0.1:5555,tcp://127.0.0.1:5556', container: 'wb-zmq-broker' });
  assert.deepEqual(r.get('http'), { url: 'http://127.0.0.1:8080/' });
  assert.throws(() => remoteTargets([], ['x=name']), /needs --target x=/);
  assert.throws(() => remoteTargets(['x'], []), /role=value/);
  assert.deepEqual(hostPort('nats://127.0.0.1'), { host: '127.0.0.1', port: 4222 });
  assert.deepEqual(hostPort('127.0.0.1:50051'), { host: '127.0.0.1', port: 50051 });
  assert.equal(hostPort('tcp://h'), null);
});

test('two shards at half the rate each, merged, agree with one process at the whole rate', async (t) => {
  const dir = tmp(t);
  const common = ['bench', FIXTURE, '--scenario', 'open-rate', '--results', dir, '--set', 'rate=400'];
  const one = cli([...common, '--run-id', 'one']);
  assert.equal(one.code, 0, one.stdout + one.stderr);
  // Both shards start their measured stage at the same wall-clock time, whenever they booted.
  const at = String(Date.now() + 10_000);
  const shards = await Promise.all([0, 1].map((i) => cliAsync([...common, '--shard', `${i}/2`, '--start-at', at, '--run-id', `s${i}`])));
  for (const s of shards) assert.equal(s.code, 0, s.stderr);
  const runs = path.join(dir, 'runs', 'fixture');
  const [s0] = readResults(path.join(runs, 's0'));
  assert.deepEqual(s0!.load.shard, { index: 0, count: 2 }, 'a shard says whose share it ran');
  assert.equal(s0!.stages[0]!.throughput.requested, 200, 'shard 0 ran half the rate');
  const merged = cli(['merge', path.join(runs, 's0'), path.join(runs, 's1'), '--out', path.join(dir, 'merged')]);
  assert.equal(merged.code, 0, merged.stdout + merged.stderr);
  const [a] = readResults(path.join(runs, 'one'));
  const [b] = readResults(path.join(dir, 'merged'));
  assert.equal(b!.valid, true, b!.invalidReasons.join('; '));
  assert.equal(b!.load.shard, undefined);
  // Counts are exact: the two schedules add up to the one schedule, operation for operation.
  assert.equal(b!.counts.sent, a!.counts.sent);
  assert.equal(b!.counts.ok, a!.counts.ok);
  assert.equal(b!.latencyMs.count, a!.latencyMs.count, 'the histograms merged exactly');
  assert.equal(b!.windows.reduce((x, w) => x + w.ok, 0), b!.counts.ok, 'the windows merged');
  assert.equal(b!.throughput.requested, a!.throughput.requested);
  assert.ok(Math.abs(b!.throughput.achieved - a!.throughput.achieved) / a!.throughput.achieved < 0.05, `merged ${b!.throughput.achieved}/s vs ${a!.throughput.achieved}/s`);
  assert.deepEqual(b!.slo.map((s) => [s.name, s.pass]), [['errors == 0', true], ['lost == 0', true]], 'SLOs judged again on the merged figures');
  assert.ok(b!.resources.processes.some((p) => p.role === 'shard1:generator'));

  const half = cli(['merge', path.join(runs, 's0'), '--out', path.join(dir, 'half')]);
  assert.equal(half.code, 1, 'a merge missing a shard is invalid');
  assert.match(half.stdout, /shard 1 of 2 missing/);
  const notShards = cli(['merge', path.join(runs, 'one'), '--out', path.join(dir, 'bad')]);
  assert.equal(notShards.code, 1);
  assert.match(notShards.stdout, /not shard results/);
});

test('--target role=url runs against a target already running: not started, not stopped, not sampled; a kill fault is "not run"', async (t) => {
  const dir = tmp(t);
  const server = spawn(process.execPath, ['--import', 'tsx', path.join(here, '..', 'fixtures', 'http-target.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => server.kill('SIGKILL'));
  const url = await new Promise<string>((resolve, reject) => {
    server.stdout.on('data', (d: Buffer) => {
      const m = /READY http-target (\S+)/.exec(d.toString());
      if (m) resolve(m[1]!);
    });
    server.once('exit', () => reject(new Error('the fixture target exited')));
  });
  const run = cli(['bench', FIXTURE, '--scenario', 'http-target', '--target', `http=${url}`, '--results', dir, '--run-id', 'remote']);
  assert.equal(run.code, 0, run.stderr);
  const [r] = readResults(path.join(dir, 'runs', 'fixture', 'remote'));
  assert.equal(r!.valid, true, r!.invalidReasons.join('; '));
  assert.ok(r!.counts.ok > 0);
  assert.ok(r!.notes.some((n) => n.includes(`target http: remote ${url}`)), r!.notes.join(' | '));
  assert.deepEqual(r!.resources.processes.map((p) => p.role), ['generator'], 'no pid of ours to sample');
  assert.equal(server.exitCode, null, 'the remote target is left running');
  assert.equal((await fetch(url)).ok, true);

  const kill = cli(['bench', FIXTURE, '--scenario', 'http-kill', '--target', `http=${url}`, '--results', dir, '--run-id', 'kill']);
  assert.equal(kill.code, 1, 'a fault that cannot act on a remote target makes the result invalid, never a silent skip');
  const [k] = readResults(path.join(dir, 'runs', 'fixture', 'kill'));
  assert.ok(k!.invalidReasons.some((x) => /not run: remote target http/.test(x)), k!.invalidReasons.join('; '));
  assert.equal(server.exitCode, null, 'and it was not killed');
});
