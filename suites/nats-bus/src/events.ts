/** The event payloads the generator sends (the bot's own shapes, from the contract). */

export type EventKind = 'chat' | 'user' | 'status' | 'media' | 'stats';

/** The mixed rotation: chat-heavy, as a channel is (chat, user, chat, status, chat, media, chat, stats). */
const MIXED: readonly EventKind[] = ['chat', 'user', 'chat', 'status', 'chat', 'media', 'chat', 'stats'];

export function mixedEvent(seq: number): EventKind {
  return MIXED[seq % MIXED.length]!;
}

/**
 * A chat event whose message is exactly `size` bytes (ASCII), never empty and never from "server"
 * (the service does not store those: they would end as ignored, not stored).
 */
export function chatBody(seq: number, size: number): { username: string; message: string } {
  const head = `m${seq} `;
  const message = size <= head.length ? head.slice(0, Math.max(1, size)) : head + 'x'.repeat(size - head.length);
  return { username: `user${seq % 50}`, message };
}
