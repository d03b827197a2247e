import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '@wirebench/nats-bus';
import { storedRun } from './drivers.js';
import { tempDir } from './targets.js';

test('storedRun counts one prefix\'s ids and the highest number: a gap is a lost event', () => {
  const dir = tempDir('stored-run');
  try {
    const db = openDatabase(path.join(dir, 'bot.db'));
    const claim = db.prepare('INSERT INTO wb_event_ids (id, committed_at) VALUES (?, 0)');
    for (const n of [1, 2, 3, 5, 10]) claim.run(`botA-${n}`);
    claim.run('botAB-7'); // another prefix that starts the same
    claim.run('botA.x');
    claim.run('g123-99');
    assert.deepEqual({ ...storedRun(db, 'botA') }, { stored: 5, top: 10 });
    assert.deepEqual({ ...storedRun(db, 'botB') }, { stored: 0, top: 0 });
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
