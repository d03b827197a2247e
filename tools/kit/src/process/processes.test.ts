import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { cpuPlanProblem, pinSelf } from './affinity.js';
import { Processes } from './processes.js';
import { Sampler } from './sampler.js';
import { isWbError } from '../errors.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const TARGET = path.join(here, '..', 'fixtures', 'http-target.ts');
const READY = { line: /^READY http-target (http:\/\/\S+)/ };

/** Alive and not a zombie (a killed orphan stays a zombie where the container's init does not reap). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

test('a target starts, is ready by its line, survives kill -9 + restart, and stops gracefully', async (t) => {
  const procs = new Processes();
  t.after(() => procs.stopAll());
  const target = await procs.start({ role: 'http', script: TARGET, ready: READY });
  const url = target.readyMatch?.[1];
  assert.ok(url);
  assert.equal(await (await fetch(url)).text(), 'ok');
  const first = target.pid;
  await target.kill();
  assert.equal(target.exitInfo?.signal, 'SIGKILL');
  assert.equal(alive(first), false);
  await target.restart();
  assert.notEqual(target.pid, first);
  assert.equal(await (await fetch(target.readyMatch![1]!)).text(), 'ok', 'serving again after restart');
  await target.stop();
  assert.equal(target.exitInfo?.code, 0, 'SIGTERM let it exit cleanly');
});

test('readiness by port, and a target that dies before it is ready is a coded error with its output', async (t) => {
  const procs = new Processes();
  t.after(() => procs.stopAll());
  const bad = procs.start({ role: 'crasher', command: process.execPath, args: ['-e', 'console.log("boom: bad config"); process.exit(3)'], ready: { port: 1 }, readyTimeoutMs: 5000 });
  await assert.rejects(bad, (e: unknown) => isWbError(e) && e.code === 'WB_ERR_TARGET_START' && /exited before it was ready/.test(e.message));
  const slow = procs.start({ role: 'silent', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], ready: { line: /never/ }, readyTimeoutMs: 300 });
  await assert.rejects(slow, (e: unknown) => isWbError(e) && /not ready within 300 ms/.test(e.message));
  assert.ok(procs.targets.every((x) => x.exitInfo !== null), 'a target that failed to start is not left running');
});

test('the sampler reports CPU, RSS and, through the probe, event-loop delay and GC of a node target', async (t) => {
  const procs = new Processes();
  t.after(() => procs.stopAll());
  const sampler = new Sampler(100);
  procs.onStart = (x) => sampler.track(x);
  sampler.start();
  const target = await procs.start({ role: 'http', script: TARGET, ready: READY, env: { WIREBENCH_PROBE_INTERVAL_MS: '100' } });
  for (let i = 0; i < 3; i++) await fetch(`${target.readyMatch![1]}/burn`);
  await new Promise((r) => setTimeout(r, 250));
  const res = sampler.stop();
  const http = res.processes.find((p) => p.role === 'http');
  const gen = res.processes.find((p) => p.role === 'generator');
  assert.ok(http && gen);
  assert.equal(http.pid, target.pid);
  assert.ok(http.cpuPct.max > 30, `the busy target shows CPU (${http.cpuPct.max}%)`);
  assert.ok(http.rssMb.max > 10);
  assert.ok(http.eventLoopDelayMs && http.eventLoopDelayMs.max >= 200, `its 300 ms blocks show as event-loop delay (${http.eventLoopDelayMs?.max})`);
  assert.ok(http.gc !== undefined && http.heapUsedMb !== undefined);
  assert.ok(http.timeline.length >= 3);
  assert.ok(gen.eventLoopDelayMs && gen.gc);
});

test('no orphans: what a target left in its process group dies with it, even after the leader exited', async () => {
  const procs = new Processes();
  const t = await procs.start({ role: 'wrapper', command: 'sh', args: ['-c', 'sleep 30 & echo "BG $!"; echo READY; sleep 0.2'], ready: { line: /^READY/ } });
  const bg = Number(t.tail.find((l) => l.startsWith('BG '))?.slice(3));
  assert.ok(bg > 0 && alive(bg));
  await t.exited; // the wrapper is gone; its background child is not
  assert.ok(alive(bg), 'precondition: the straggler outlived its leader');
  await procs.stopAll();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(alive(bg), false, 'stopAll reaped the straggler');
});

/** [pgrp, session] of a pid from /proc. */
const groupOf = (pid: number | 'self'): [number, number] => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(f[2]), Number(f[3])];
};

test('a target leads a process group of its own inside the generator\'s session (one scheduling autogroup)', async (t) => {
  const procs = new Processes();
  t.after(() => procs.stopAll());
  const target = await procs.start({ role: 'http', script: TARGET, ready: READY });
  const [pgrp, session] = groupOf(target.pid);
  assert.equal(pgrp, target.pid, 'its own process group, so a stop reaches its children');
  assert.equal(session, groupOf('self')[1], 'the generator\'s session, not one of its own');
  assert.equal(target.groupNote, null);
});

test('a command that cannot be spawned fails at once with the reason', async () => {
  const procs = new Processes();
  const t0 = Date.now();
  await assert.rejects(
    procs.start({ role: 'ghost', command: '/nonexistent/binary', ready: { line: /READY/ }, readyTimeoutMs: 10_000 }),
    (e: unknown) => isWbError(e) && /ENOENT/.test(e.message),
  );
  assert.ok(Date.now() - t0 < 3000, 'did not wait out the readiness timeout');
});

const allowedCpus = (pid: number): string => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';

test('a CPU plan pins targets (spec or default) and this process, and is undone', { skip: availableParallelism() < 2 ? 'needs 2 CPUs' : false }, async (t) => {
  assert.equal(cpuPlanProblem({ generator: [0], targets: [1] }), null);
  assert.match(cpuPlanProblem({ generator: [0], targets: [availableParallelism() + 7] }) ?? '', /not one this process may use/);
  const procs = new Processes();
  t.after(() => procs.stopAll());
  procs.defaultCpus = [1];
  const byDefault = await procs.start({ role: 'a', script: TARGET, ready: READY });
  const bySpec = await procs.start({ role: 'b', script: TARGET, ready: READY, cpus: [0] });
  assert.equal(allowedCpus(byDefault.pid), '1');
  assert.equal(allowedCpus(bySpec.pid), '0');
  const before = allowedCpus(process.pid);
  const undo = pinSelf([0]);
  try {
    assert.equal(allowedCpus(process.pid), '0');
  } finally {
    undo();
  }
  assert.equal(allowedCpus(process.pid), before);
});
