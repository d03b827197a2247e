/** The floors' own subjects and JetStream names (the service's are the target's `Subjects`). */
export const FLOOR = {
  pub: 'wb.floor.pub',
  ack: 'wb.floor.ack',
  /** Events acknowledged in batches under group commit's rule (GROUP), on their own ack subject. */
  pubGroup: 'wb.floor.group',
  ackGroup: 'wb.floor.group-ack',
  req: 'wb.floor.req',
  js: 'wb.floor.js',
  stream: 'WB_FLOOR',
  durable: 'wb-floor',
} as const;
