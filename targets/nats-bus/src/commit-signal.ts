/**
 * The commit signal: after every commit the service publishes one JSON message on its commit subject
 * (default `wirebench.bus.committed`):
 *
 *   {"ids":["r1-7","r1-8"],"count":2,"ignored":[],"duplicates":[],"failed":[]}
 *
 * `ids` are the event ids (header `Nats-Msg-Id`) whose effects that transaction committed, `count` every
 * event it settled (those without an id too), `ignored` ids the contract's rules dropped, `duplicates` ids
 * stored before (not stored again), `failed` ids given up (core mode: a write that failed).
 */
import type { NatsConnection } from '@nats-io/nats-core';
import type { CommitReport } from './committer.js';

export function encodeCommitReport(r: CommitReport): string {
  return JSON.stringify(r);
}

export function decodeCommitReport(data: Uint8Array | string): CommitReport {
  const v = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data)) as Partial<CommitReport>;
  return { ids: v.ids ?? [], count: v.count ?? 0, ignored: v.ignored ?? [], duplicates: v.duplicates ?? [], failed: v.failed ?? [] };
}

/** Publishes reports on `subject`; a failed publish (connection gone) is counted, never thrown into the commit path. */
export function createCommitPublisher(nc: NatsConnection, subject: string): { publish(r: CommitReport): void; readonly lost: number } {
  let lost = 0;
  return {
    publish(r) {
      try {
        nc.publish(subject, encodeCommitReport(r));
      } catch {
        lost++;
      }
    },
    get lost() {
      return lost;
    },
  };
}
