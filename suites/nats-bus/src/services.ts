/**
 * Several service configurations on one nats-server would each store every event (all of them
 * subscribe to rosey.db.*), so each server runs one service at a time: `use(role)` stops the other
 * services of that server and (re)starts the one asked for, between measurements, never during one.
 */
import type { ScenarioContext } from '@wirebench/kit';
import { seededDb, startNats, startService, type Commit, type Delivery } from './targets.js';

export interface ServiceSet {
  /** nats url per delivery mode. */
  urls: Record<Delivery, string>;
  /** Roles of the services started, per delivery. */
  roles: Record<Delivery, string[]>;
  /** Each service's database file, by role. */
  dbPaths: Record<string, string>;
}

export const serviceRole = (d: Delivery, c: Commit): string => `service-${d}-${c}`;

/** A core nats-server and a JetStream one, each with a service per commit mode (only one left running). */
export async function startServiceSet(ctx: ScenarioContext, commits: readonly Commit[], deliveries: readonly Delivery[] = ['core', 'jetstream']): Promise<ServiceSet> {
  const urls = {} as Record<Delivery, string>;
  const roles = { core: [] as string[], jetstream: [] as string[] };
  const dbPaths: Record<string, string> = {};
  for (const d of deliveries) {
    urls[d] = (await startNats(ctx, `nats-${d}`, d === 'jetstream')).url;
    for (const c of commits) {
      const role = serviceRole(d, c);
      dbPaths[role] = seededDb();
      await startService(ctx, { url: urls[d], delivery: d, commit: c, role, dbPath: dbPaths[role] });
      roles[d].push(role);
      await useService(ctx, role, roles[d]);
    }
  }
  return { urls, roles, dbPaths };
}

// Keyed by the Target, not the role: each scenario starts its own targets under the same roles.
const stopped = new WeakSet<object>();

/** Leaves `role` the only running service among `group`. */
export async function useService(ctx: ScenarioContext, role: string, group: readonly string[]): Promise<void> {
  for (const other of group) {
    const t = ctx.processes.get(other);
    if (other === role || stopped.has(t)) continue;
    await t.stop();
    stopped.add(t);
  }
  const t = ctx.processes.get(role);
  if (stopped.has(t)) {
    await t.restart();
    stopped.delete(t);
  }
}
