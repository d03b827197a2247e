/**
 * Service configurations (delivery × commit), each on a nats-server of its own. Every service
 * subscribes to rosey.db.*, so two on one server would both store every event; one server each
 * lets all of them run warm for the whole scenario (no stop/restart between arms: a restarted
 * service measured with a cold JIT beside a long-running floor was not measured the same way).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { ScenarioContext } from '@wirebench/kit';
import { DEFAULT_DURABLE, DEFAULT_STREAM, Subjects } from '@wirebench/nats-bus';
import { seededDb, startNats, startService, type Commit, type Delivery } from './targets.js';

export interface ServiceInfo {
  delivery: Delivery;
  commit: Commit;
  url: string;
  /** Roles of the service and of its nats-server (faults kill and restart them). */
  role: string;
  natsRole: string;
  /** The service's database (read-only look-ups of events whose signal was missed). */
  dbPath: string;
}

/** Plain data (drivers are rebuilt from it in worker threads): each configuration by `configKey`. */
export interface ServiceSet {
  services: Record<string, ServiceInfo>;
}

export interface Config {
  delivery: Delivery;
  commit: Commit;
}

export const configKey = (d: Delivery, c: Commit): string => `${d}_${c}`;

/** Every delivery × commit configuration. */
export const CONFIGS: readonly Config[] = [
  { delivery: 'core', commit: 'each' },
  { delivery: 'core', commit: 'group' },
  { delivery: 'jetstream', commit: 'each' },
  { delivery: 'jetstream', commit: 'group' },
];

/** A configuration's metric prefix (the goals' names: core_group_vs_floor, js_each_rps…). */
export const metricPrefix = (d: Delivery, c: Commit): string => `${d === 'core' ? 'core' : 'js'}_${c}`;
export const serviceRole = (d: Delivery, c: Commit): string => `service-${d}-${c}`;

export async function startServiceSet(ctx: ScenarioContext, configs: readonly Config[]): Promise<ServiceSet> {
  const services: Record<string, ServiceInfo> = {};
  for (const { delivery, commit } of configs) {
    const natsRole = `nats-${delivery}-${commit}`;
    const { url } = await startNats(ctx, natsRole, delivery === 'jetstream');
    const role = serviceRole(delivery, commit);
    const dbPath = seededDb();
    await startService(ctx, { url, delivery, commit, role, dbPath });
    services[configKey(delivery, commit)] = { delivery, commit, url, role, natsRole, dbPath };
  }
  return { services };
}

export function serviceOf(set: ServiceSet, d: Delivery, c: Commit): ServiceInfo {
  const s = set.services[configKey(d, c)];
  if (!s) throw new Error(`no ${d}/${c} service in this scenario (started: ${Object.keys(set.services).join(', ')})`);
  return s;
}

/**
 * Waits until a service has handled everything it was sent (after an overloaded search step, its
 * backlog would otherwise drain during the next measurement, on the same two CPUs). JetStream:
 * the durable has nothing pending or unacknowledged. Then a request: the service answers it after
 * every event its connection received before, and commits a waiting group batch first. False when
 * that did not happen within `timeoutMs`.
 */
export async function waitIdle(s: Pick<ServiceInfo, 'url' | 'delivery'>, timeoutMs = 30_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  const nc = await connect({ servers: s.url, name: 'wb-wait-idle' });
  try {
    if (s.delivery === 'jetstream') {
      const jsm = await jetstreamManager(nc);
      for (;;) {
        const ci = await jsm.consumers.info(DEFAULT_STREAM, DEFAULT_DURABLE);
        if (ci.num_pending + ci.num_ack_pending === 0) break;
        if (Date.now() > until) return false;
        await sleep(100);
      }
    }
    await nc.request(Subjects.recentChatGet, JSON.stringify({ limit: 1 }), { timeout: Math.max(1000, until - Date.now()) });
    return true;
  } catch {
    return false;
  } finally {
    await nc.close();
  }
}
