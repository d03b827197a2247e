/** The floors' own subjects and JetStream names (the service's are the target's `Subjects`). */
export const FLOOR = {
  pub: 'wb.floor.pub',
  ack: 'wb.floor.ack',
  req: 'wb.floor.req',
  js: 'wb.floor.js',
  stream: 'WB_FLOOR',
  durable: 'wb-floor',
} as const;
