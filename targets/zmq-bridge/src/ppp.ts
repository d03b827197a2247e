/** RFC 6 Paranoid Pirate Protocol: commands are one frame of one byte. */
export const PPP_READY = 0x01;
export const PPP_HEARTBEAT = 0x02;
export const READY_FRAME = Buffer.from([PPP_READY]);
export const HEARTBEAT_FRAME = Buffer.from([PPP_HEARTBEAT]);
export const EMPTY_FRAME = Buffer.alloc(0);

/** zguide constants (ppqueue.c / ppworker.c). */
export const HEARTBEAT_INTERVAL_MS = 1000;
export const HEARTBEAT_LIVENESS = 3;
export const RECONNECT_INITIAL_MS = 1000;
export const RECONNECT_MAX_MS = 32000;

export const DEFAULT_FRONTEND = 'tcp://127.0.0.1:5555';
export const DEFAULT_BACKEND = 'tcp://127.0.0.1:5556';

export function isCommand(frames: readonly Buffer[], command: number): boolean {
  return frames.length === 1 && frames[0]?.length === 1 && frames[0][0] === command;
}

/**
 * Where the empty delimiter of [addr..., "", body...] is (RFC 6 REQUEST/REPLY: an address stack of
 * any depth, a null terminator, then one or more content frames): the first empty frame, or -1 when
 * there is none, no address before it or no content after it. A ROUTER never yields an empty
 * address, so the first empty frame is the delimiter whatever the depth of the stack.
 */
export function delimiterAt(frames: readonly Buffer[]): number {
  const n = frames.length;
  for (let i = 0; i < n; i++) {
    if ((frames[i] as Buffer).length === 0) return i >= 1 && i < n - 1 ? i : -1;
  }
  return -1;
}

/** Split [addr..., "", body...] at the first empty delimiter; null when there is none. */
export function splitEnvelope(frames: readonly Buffer[]): { envelope: Buffer[]; body: Buffer[] } | null {
  const at = delimiterAt(frames);
  if (at < 0) return null;
  return { envelope: frames.slice(0, at + 1), body: frames.slice(at + 1) };
}
