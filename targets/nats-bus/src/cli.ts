import { parseArgs } from 'node:util';
import { COMMIT_MODES } from './committer.js';
import type { CommitMode } from './committer.js';
import { BusError, BusErrorCode } from './errors.js';
import { DELIVERY_MODES } from './service.js';
import type { DeliveryMode } from './service.js';
import { DEFAULT_COMMIT_SUBJECT } from './subjects.js';

export interface BusCliConfig {
  natsUrl: string;
  dbPath: string;
  mode: DeliveryMode;
  commit: CommitMode;
  maxBatch: number | undefined;
  maxDelayMs: number | undefined;
  commitSubject: string | null;
  busyTimeoutMs: number | undefined;
  ackWaitMs: number | undefined;
  log: boolean;
}

const bad = (what: string, hint: string) => new BusError(BusErrorCode.BadOption, what, hint);

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw bad(`${name} must be a non-negative integer, got '${v}'`, `e.g. ${name} 5`);
  return n;
}

function choice<T extends string>(name: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw bad(`${name} must be ${allowed.join(' or ')}, got '${v}'`, `use ${name} ${allowed[0]}`);
  return v as T;
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    options: {
      'nats-url': { type: 'string' },
      'db-path': { type: 'string' },
      mode: { type: 'string' },
      commit: { type: 'string' },
      'max-batch': { type: 'string' },
      'max-delay-ms': { type: 'string' },
      'commit-subject': { type: 'string' },
      'busy-timeout-ms': { type: 'string' },
      'ack-wait-ms': { type: 'string' },
      log: { type: 'boolean' },
    },
  });
}

/** main.ts flags (environment in brackets; flags win); see README. */
export function parseBusArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): BusCliConfig {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (err) {
    throw bad((err as Error).message, 'flags: --nats-url --db-path --mode --commit --max-batch --max-delay-ms --commit-subject --busy-timeout-ms --ack-wait-ms --log');
  }
  const { values } = parsed;
  const subject = values['commit-subject'] ?? env.WB_BUS_COMMIT_SUBJECT ?? DEFAULT_COMMIT_SUBJECT;
  return {
    natsUrl: values['nats-url'] ?? env.NATS_URL ?? 'nats://localhost:4222',
    dbPath: values['db-path'] ?? env.WB_BUS_DB_PATH ?? 'bot_data.db',
    mode: choice('--mode', values.mode ?? env.WB_BUS_MODE ?? 'core', DELIVERY_MODES),
    commit: choice('--commit', values.commit ?? env.WB_BUS_COMMIT ?? 'each', COMMIT_MODES),
    maxBatch: int('--max-batch', values['max-batch'] ?? env.WB_BUS_MAX_BATCH),
    maxDelayMs: int('--max-delay-ms', values['max-delay-ms'] ?? env.WB_BUS_MAX_DELAY_MS),
    commitSubject: subject === 'none' || subject === '' ? null : subject,
    busyTimeoutMs: int('--busy-timeout-ms', values['busy-timeout-ms'] ?? env.WB_BUS_BUSY_TIMEOUT_MS),
    ackWaitMs: int('--ack-wait-ms', values['ack-wait-ms'] ?? env.WB_BUS_ACK_WAIT_MS),
    log: values.log ?? /^(1|true|yes|on)$/i.test(env.WB_LOG ?? ''),
  };
}
