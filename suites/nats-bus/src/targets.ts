/**
 * What the scenarios start: nats-server (a command target on a free port, JetStream store in a
 * temp folder, monitoring on), the DatabaseService (the target's main.ts) and the bare echo floor.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, isRemoteTarget, target, type ScenarioContext, type Target } from '@wirebench/kit';
import { natsServerCommand, openDatabase } from '@wirebench/nats-bus';

export type Delivery = 'core' | 'jetstream';
export type Commit = 'each' | 'group';

/** Rows the setup seeds, so both queries have a known answer size (see replies.ts). */
export const SEEDED_OUTBOUND = 30;
export const SEEDED_CHAT = 30;
export const QUERY_LIMIT = 20;

/**
 * Group commit's batch rule, given to the service (`--max-batch`, `--max-delay-ms`) and to the
 * echo floor's batched acks alike, so the core+group arm and its floor wait the same way.
 */
export const GROUP = { maxBatch: 256, maxDelayMs: 2 } as const;

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `wb-nats-bus-${prefix}-`));
}

/** nats-server on a fixed free port (a restart must find it again), JetStream on with its own store. */
export async function startNats(ctx: ScenarioContext, role = 'nats', jetstream = true): Promise<{ url: string; target: Target }> {
  const port = await freePort();
  const monitorPort = await freePort();
  const { command, args } = natsServerCommand({ port, monitorPort, jetstream, ...(jetstream ? { storeDir: tempDir('js') } : {}) });
  const t = await ctx.processes.start({ role, command, args, ready: { line: /Server is ready/ } });
  // Against a container (--containers, --target nats=url) the server is not the one configured
  // here: its address is the remote target's.
  return { url: isRemoteTarget(t) ? t.readyMatch![1]! : `nats://127.0.0.1:${port}`, target: t };
}

/** A fresh database file with the seeded outbound and chat rows. */
export function seededDb(): string {
  const dbPath = path.join(tempDir('db'), 'bot.db');
  const db = openDatabase(dbPath);
  const now = Math.floor(Date.now() / 1000);
  const out = db.prepare('INSERT INTO outbound_messages (timestamp, message) VALUES (?, ?)');
  const chat = db.prepare('INSERT INTO recent_chat (timestamp, username, message) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < SEEDED_OUTBOUND; i++) out.run(now - 600 + i, `queued message ${i}`);
    for (let i = 0; i < SEEDED_CHAT; i++) chat.run(now - 600 + i, `seed${i % 5}`, `seeded chat line ${i}`);
  })();
  db.close();
  return dbPath;
}

export interface ServiceOptions {
  url: string;
  delivery: Delivery;
  commit: Commit;
  role?: string;
  dbPath?: string;
  /** Heap samples after a forced full GC (the kit's probe: --expose-gc and WIREBENCH_PROBE_GC=1), for soaks. */
  probeGc?: boolean;
  /** The scenario reads the database file, or checks the seeded rows: a service in a container has neither. */
  needsOwnDb?: boolean;
}

export async function startService(ctx: ScenarioContext, o: ServiceOptions): Promise<Target> {
  const t = await ctx.processes.start(target({
    package: '@wirebench/nats-bus',
    main: 'src/main.ts',
    role: o.role ?? 'service',
    args: ['--nats-url', o.url, '--db-path', o.dbPath ?? seededDb(), '--mode', o.delivery, '--commit', o.commit, ...(o.commit === 'group' ? ['--max-batch', String(GROUP.maxBatch), '--max-delay-ms', String(GROUP.maxDelayMs)] : [])],
    ready: { line: /^READY nats-bus (\S+) (\S+)/ },
    ...(o.probeGc ? { nodeArgs: ['--expose-gc'], env: { WIREBENCH_PROBE_GC: '1' } } : {}),
  }));
  // A service in a container has its own database and flags: a scenario that reads the database
  // file it gave, or checks the seeded rows, cannot run against it; one that does neither can.
  if (isRemoteTarget(t) && (o.needsOwnDb || o.delivery !== 'core' || o.commit !== 'each')) {
    throw new Error(`not run: remote target: ${t.role} runs in a container with its own database (core delivery, commit each); this scenario ${o.needsOwnDb ? 'reads the seeded database it gives the service' : `needs ${o.delivery} delivery with commit ${o.commit}`}`);
  }
  return t;
}

export async function startEcho(ctx: ScenarioContext, url: string, jetstream = false, role = 'echo'): Promise<Target> {
  return ctx.processes.start(target({
    package: '@wirebench/suite-nats-bus',
    main: 'src/floors/echo-main.ts',
    role,
    args: ['--nats-url', url, '--max-batch', String(GROUP.maxBatch), '--max-delay-ms', String(GROUP.maxDelayMs), ...(jetstream ? ['--jetstream'] : [])],
    ready: { line: /^READY floor-echo/ },
  }));
}
