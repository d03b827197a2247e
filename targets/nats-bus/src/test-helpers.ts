/** Shared fixtures for the tests (not part of the public API). */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { createBotBus } from './bot-bus.js';
import type { BotBus, BotBusOptions } from './bot-bus.js';
import { decodeCommitReport } from './commit-signal.js';
import type { CommitReport } from './committer.js';
import { startNatsServer } from './nats-server.js';
import type { NatsServer, StartNatsServerOptions } from './nats-server.js';
import { createDatabaseService } from './service.js';
import type { BusIssue, DatabaseService, DatabaseServiceOptions } from './service.js';
import { DEFAULT_COMMIT_SUBJECT } from './subjects.js';

/** Poll until check() is truthy; fail after limitMs (a liveness bound, not a speed claim). */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, limitMs = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`Timed out after ${limitMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export function tempDir(t: TestContext, prefix = 'wb-nats-bus-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function natsServer(t: TestContext, opts: StartNatsServerOptions = { jetstream: true }): Promise<NatsServer> {
  const server = await startNatsServer(opts);
  t.after(() => server.stop());
  return server;
}

export async function natsClient(t: TestContext, url: string): Promise<NatsConnection> {
  const nc = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  t.after(() => nc.close());
  return nc;
}

/** Collects the commit signal's reports. */
export interface CommitLog {
  reports: CommitReport[];
  /** Every id in `ids` of every report, in order. */
  stored(): string[];
  all(field: 'ids' | 'ignored' | 'duplicates' | 'failed'): string[];
  /** Settled events (count), over all reports. */
  settled(): number;
  waitSettled(n: number, limitMs?: number): Promise<void>;
}

export async function watchCommits(nc: NatsConnection, subject = DEFAULT_COMMIT_SUBJECT): Promise<CommitLog> {
  const reports: CommitReport[] = [];
  nc.subscribe(subject, {
    callback: (err, m) => {
      if (!err) reports.push(decodeCommitReport(m.data));
    },
  });
  await nc.flush();
  const all = (field: 'ids' | 'ignored' | 'duplicates' | 'failed') => reports.flatMap((r) => r[field]);
  const settled = () => reports.reduce((s, r) => s + r.count, 0);
  return {
    reports,
    stored: () => all('ids'),
    all,
    settled,
    async waitSettled(n, limitMs = 10_000) {
      await eventually(() => settled() >= n, limitMs, `${n} settled events (have ${settled()})`);
    },
  };
}

export interface Rig {
  server: NatsServer;
  nc: NatsConnection;
  service: DatabaseService;
  bus: BotBus;
  commits: CommitLog;
  issues: BusIssue[];
  dbPath: string;
}

/** A nats-server, a service on a temp database, a bot bus and the commit log, all cleaned up after the test. */
export async function rig(t: TestContext, opts: Partial<DatabaseServiceOptions> & { bus?: BotBusOptions; server?: NatsServer } = {}): Promise<Rig> {
  const server = opts.server ?? (await natsServer(t));
  const nc = await natsClient(t, server.url);
  const dbPath = opts.dbPath ?? join(tempDir(t), 'bot.db');
  const issues: BusIssue[] = [];
  const service = createDatabaseService({ ...opts, nc, dbPath, onIssue: (i) => issues.push(i) });
  t.after(() => service.close());
  const commits = await watchCommits(nc, opts.commitSubject ?? undefined);
  await service.start();
  const bus = createBotBus(nc, { delivery: opts.delivery ?? 'core', ...opts.bus });
  return { server, nc, service, bus, commits, issues, dbPath };
}

/** Runs one SQL query on the service's own connection. */
export function rows<T = Record<string, unknown>>(service: DatabaseService, sql: string, ...params: unknown[]): T[] {
  return service.store.db.prepare(sql).all(...params) as T[];
}

export interface MainProcess {
  child: ChildProcess;
  ready: string;
  stderr(): string;
  exited: Promise<number | string>;
}

/** src/main.ts as a real child process; resolves at its READY line. Killed (SIGKILL) after the test if still running. */
export async function startMain(t: TestContext, args: string[], limitMs = 20_000): Promise<MainProcess> {
  const file = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (c: string) => (err += c));
  const ready = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`main.ts printed no READY line in ${limitMs} ms: ${err}`)), limitMs);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (c: string) => {
      out += c;
      const m = /^READY .*$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    void exited.then((c) => {
      clearTimeout(timer);
      reject(new Error(`main.ts exited (${c}) before READY: ${err}`));
    });
  });
  return { child, ready, stderr: () => err, exited };
}

/** Runs main.ts to its exit: code and stderr. */
export function runMainToExit(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const file = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

