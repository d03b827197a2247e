import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatBody, mixedEvent } from './events.js';

test('chat messages are exactly the asked size, never empty, never from "server"', () => {
  for (const size of [1, 3, 64, 1024]) {
    const b = chatBody(12345, size);
    assert.equal(Buffer.byteLength(b.message), size);
    assert.notEqual(b.username.toLowerCase(), 'server');
  }
});

test('the mixed rotation covers chat, user, status, media and stats', () => {
  const kinds = new Set(Array.from({ length: 8 }, (_, i) => mixedEvent(i)));
  assert.deepEqual([...kinds].sort(), ['chat', 'media', 'stats', 'status', 'user']);
});
