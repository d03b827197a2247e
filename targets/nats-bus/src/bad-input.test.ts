/** Bad input and a bad database: each handled as the contract says (or better, see README); the service keeps serving and loses nothing stored. */
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { connect as tcp } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { jetstreamManager } from '@nats-io/jetstream';
import { createDirectStore } from './direct.js';
import { BusError } from './errors.js';
import { DEFAULT_DURABLE, DEFAULT_STREAM, Subjects } from './subjects.js';
import { eventually, rig, rows, tempDir } from './test-helpers.js';
import type { Rig } from './test-helpers.js';

const BAD: [string, string | Uint8Array][] = [
  [Subjects.userJoined, '{"username": "ali'],
  [Subjects.userJoined, new Uint8Array([0x7b, 0x22, 0x75, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])], // {"u":"\xff"}: not UTF-8
  [Subjects.userJoined, '\ufeff{"username":"bom"}'],
  [Subjects.userJoined, '["alice"]'],
  [Subjects.userJoined, 'null'],
  [Subjects.userJoined, '{"username":""}'],
  [Subjects.userLeft, '{"username":42}'],
  [Subjects.messageLog, '{"username":"alice","message":["hi"]}'],
  [Subjects.messageLog, '{"username":"","message":"hi"}'],
  [Subjects.userCount, '{"chat_count":"3","connected_count":4}'],
  [Subjects.userCount, '{"chat_count":NaN}'],
  [Subjects.highWater, '{"chat_count":1e400}'],
  [Subjects.statusUpdate, '{"status_data":{"favourite_colour":"blue","mood":"ok"}}'],
  [Subjects.statusUpdate, '{"status_data":42}'],
  [Subjects.markSent, '{}'],
  [Subjects.markSent, '{"message_id":"1"}'],
];

async function storeGood(r: Rig): Promise<void> {
  await r.bus.userJoined('alice');
  await r.bus.logMessage('alice', 'kept');
}

function assertGood(r: Rig): void {
  assert.deepEqual(rows(r.service, 'SELECT username, total_chat_lines FROM user_stats'), [{ username: 'alice', total_chat_lines: 1 }]);
  assert.deepEqual(rows(r.service, 'SELECT message FROM recent_chat'), [{ message: 'kept' }]);
}

for (const delivery of ['core', 'jetstream'] as const) {
  test(`${delivery}: bad bodies and wrong types are ignored, reported by id, acknowledged; stored data stays; the service keeps serving`, { timeout: 30_000 }, async (t) => {
    const r = await rig(t, { delivery, commit: 'group' });
    await storeGood(r);
    const ids: string[] = [];
    for (const [subject, body] of BAD) ids.push((await r.bus.publishRaw(subject, body)).id as string);
    await r.bus.flush();
    await r.commits.waitSettled(2 + BAD.length);
    assert.deepEqual(r.commits.all('ignored').sort(), ids.sort());
    assert.equal(r.service.stats().ignored, BAD.length);
    assertGood(r);
    const status = rows(r.service, 'SELECT bot_name, last_updated FROM current_status')[0];
    assert.equal(status?.bot_name, null);
    assert.equal(r.issues.filter((i) => i.code === 'WB_ERR_BUS_BAD_PAYLOAD').length, BAD.length);
    assert.ok(r.issues.some((i) => /not valid UTF-8/.test(i.message)));
    assert.ok(r.issues.some((i) => /byte order mark/.test(i.message)));
    assert.ok(r.issues.some((i) => /no known keys/.test(i.message)));
    assert.deepEqual(await r.bus.getRecentChat(), [{ timestamp: rows(r.service, 'SELECT timestamp FROM recent_chat')[0]?.timestamp, username: 'alice', message: 'kept' }]);
    if (delivery === 'jetstream') {
      const jsm = await jetstreamManager(r.nc);
      await eventually(async () => (await jsm.consumers.info(DEFAULT_STREAM, DEFAULT_DURABLE)).num_ack_pending === 0, 10_000, 'every bad message acknowledged');
      assert.equal((await jsm.streams.info(DEFAULT_STREAM)).state.messages, 0, 'nothing left to redeliver');
    }
  });
}

test('a 1 MB body over max_payload: the bot bus refuses it with a coded error; a raw client gets the server\'s -ERR; the service never sees it', { timeout: 30_000 }, async (t) => {
  const r = await rig(t);
  await storeGood(r);
  const big = 'x'.repeat(1024 * 1024);
  await assert.rejects(r.bus.logMessage('alice', big), (err: unknown) => {
    assert.ok(err instanceof BusError);
    assert.equal(err.code, 'WB_ERR_NATS_MAX_PAYLOAD');
    assert.match(err.hint, /max_payload/);
    return true;
  });
  // A client that ignores max_payload: the server answers -ERR and closes that connection only.
  const reply = await new Promise<string>((resolve, reject) => {
    const s = tcp(r.server.port, '127.0.0.1');
    let got = '';
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      got += d;
      if (got.startsWith('INFO ') && !got.includes('CONNECT-SENT')) {
        got += 'CONNECT-SENT';
        s.write('CONNECT {"verbose":false,"pedantic":false}\r\n');
        // The header alone: the server judges the declared size and answers -ERR at once. With the
        // 1 MB body behind it, the server's close found this socket still writing and the client
        // saw ECONNRESET (a fresh clone's CI) instead of the answer.
        s.write(`PUB ${Subjects.messageLog} ${big.length + 30}\r\n`);
      }
    });
    s.once('close', () => resolve(got));
    s.once('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve(got) : reject(err)));
  });
  assert.match(reply, /-ERR 'Maximum Payload Violation'/);
  await r.bus.logMessage('alice', 'after');
  await r.bus.flush();
  await r.commits.waitSettled(3);
  assert.deepEqual(rows(r.service, 'SELECT message FROM recent_chat ORDER BY id'), [{ message: 'kept' }, { message: 'after' }]);
});

/** Another connection holding the write lock until the returned function is called. */
function holdWriteLock(dbPath: string): () => void {
  const other = new Database(dbPath);
  other.exec("BEGIN IMMEDIATE; INSERT INTO user_actions (timestamp, username, action_type) VALUES (1, 'x', 'lock')");
  return () => {
    other.exec('ROLLBACK');
    other.close();
  };
}

test('core: a locked database fails those writes (reported as failed, not stored), queries are still answered, writes resume after', { timeout: 30_000 }, async (t) => {
  const r = await rig(t, { busyTimeoutMs: 50 });
  await storeGood(r);
  await r.commits.waitSettled(2);
  const release = holdWriteLock(r.dbPath);
  const failedIds = [(await r.bus.logMessage('alice', 'lost-1')).id, (await r.bus.userJoined('bob')).id];
  await r.bus.flush();
  await r.commits.waitSettled(4);
  assert.deepEqual(r.commits.all('failed'), failedIds);
  assert.ok(r.issues.some((i) => i.code === 'WB_ERR_BUS_DB_LOCKED'));
  assert.equal((await r.bus.getRecentChat()).length, 1, 'readers are not blocked by a writer (WAL)');
  release();
  await r.bus.logMessage('alice', 'after');
  await r.bus.flush();
  await r.commits.waitSettled(5);
  assert.deepEqual(rows(r.service, 'SELECT message FROM recent_chat ORDER BY id'), [{ message: 'kept' }, { message: 'after' }]);
  assert.equal(r.service.stats().failed, 2);
});

test('jetstream: a locked database delays writes (nak, redelivered) and loses none', { timeout: 30_000 }, async (t) => {
  const r = await rig(t, { delivery: 'jetstream', commit: 'group', busyTimeoutMs: 50, jetstream: { retryDelayMs: 100 } });
  await storeGood(r);
  await r.commits.waitSettled(2);
  const release = holdWriteLock(r.dbPath);
  for (let i = 0; i < 5; i++) await r.bus.logMessage('alice', `during-${i}`);
  await eventually(() => r.service.stats().retried >= 5, 10_000, 'writes retried while locked');
  assert.equal(rows(r.service, 'SELECT * FROM recent_chat').length, 1);
  release();
  await r.commits.waitSettled(7);
  assert.deepEqual(rows(r.service, 'SELECT message FROM recent_chat ORDER BY id').map((x) => x.message), ['kept', 'during-0', 'during-1', 'during-2', 'during-3', 'during-4']);
  assert.equal(r.service.stats().failed, 0);
  assert.deepEqual(r.commits.all('failed'), []);
});

test('read-only database: queries served, writes refused with WB_ERR_BUS_DB_READONLY (core: failed; jetstream: kept until a writable service takes them)', { timeout: 30_000 }, async (t) => {
  const dbPath = join(tempDir(t), 'bot.db');
  const seed = createDirectStore(dbPath);
  await seed.logMessage('alice', 'kept');
  seed.close();

  const core = await rig(t, { dbPath, readonly: true });
  await core.bus.logMessage('alice', 'refused');
  await core.bus.flush();
  await core.commits.waitSettled(1);
  assert.equal(core.commits.all('failed').length, 1);
  assert.ok(core.issues.some((i) => i.code === 'WB_ERR_BUS_DB_READONLY'));
  assert.deepEqual((await core.bus.getRecentChat()).map((x) => x.message), ['kept']);
  await core.service.close();

  const js = await rig(t, { dbPath, readonly: true, delivery: 'jetstream', jetstream: { retryDelayMs: 100 } });
  await js.bus.logMessage('alice', 'waits');
  await eventually(() => js.service.stats().retried >= 2, 10_000, 'write retried');
  await js.service.close();
  const writable = await rig(t, { server: js.server, dbPath, delivery: 'jetstream' });
  await writable.commits.waitSettled(1);
  assert.deepEqual(rows(writable.service, 'SELECT message FROM recent_chat ORDER BY id').map((x) => x.message), ['kept', 'waits']);
});

test('a database file the process may not write is refused at open with a coded line', { timeout: 10_000, skip: process.getuid?.() === 0 ? 'root ignores file permissions' : false }, async (t) => {
  const dir = tempDir(t);
  const dbPath = join(dir, 'bot.db');
  createDirectStore(dbPath).close();
  chmodSync(dbPath, 0o444);
  chmodSync(dir, 0o555);
  t.after(() => chmodSync(dir, 0o755));
  assert.throws(() => createDirectStore(dbPath), { code: 'WB_ERR_BUS_DB_OPEN' });
});
