/** The contract's subjects (`rosey.db.*`) and this package's own additions. */
export const Subjects = {
  userJoined: 'rosey.db.user.joined',
  userLeft: 'rosey.db.user.left',
  messageLog: 'rosey.db.message.log',
  userCount: 'rosey.db.stats.user_count',
  highWater: 'rosey.db.stats.high_water',
  statusUpdate: 'rosey.db.status.update',
  markSent: 'rosey.db.messages.outbound.mark_sent',
  outboundGet: 'rosey.db.messages.outbound.get',
  recentChatGet: 'rosey.db.stats.recent_chat.get',
} as const;

/** The 7 fire-and-forget subjects, in the order the original subscribes to them. */
export const EVENT_SUBJECTS = [
  Subjects.userJoined,
  Subjects.userLeft,
  Subjects.messageLog,
  Subjects.userCount,
  Subjects.highWater,
  Subjects.statusUpdate,
  Subjects.markSent,
] as const;
export type EventSubject = (typeof EVENT_SUBJECTS)[number];

/** The 2 request/reply subjects. */
export const REQUEST_SUBJECTS = [Subjects.outboundGet, Subjects.recentChatGet] as const;
export type RequestSubject = (typeof REQUEST_SUBJECTS)[number];

export function isEventSubject(s: string): s is EventSubject {
  return (EVENT_SUBJECTS as readonly string[]).includes(s);
}

/** Where the service says what it has committed (see commit-signal.ts). */
export const DEFAULT_COMMIT_SUBJECT = 'wirebench.bus.committed';

/** The event id header: JetStream de-duplicates on it, and the service stores each id once. */
export const EVENT_ID_HEADER = 'Nats-Msg-Id';

/** The NATS services (micro) error headers, added to the `[]` error replies. */
export const SERVICE_ERROR_HEADER = 'Nats-Service-Error';
export const SERVICE_ERROR_CODE_HEADER = 'Nats-Service-Error-Code';

/** JetStream names used in `jetstream` delivery mode. */
export const DEFAULT_STREAM = 'ROSEY_DB';
export const DEFAULT_DURABLE = 'rosey-db-service';
