import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delimiterAt, splitEnvelope } from './ppp.js';

const f = (...parts: string[]): Buffer[] => parts.map((p) => Buffer.from(p));

test('an envelope is an address stack of any depth, the empty delimiter, then content', () => {
  assert.equal(delimiterAt(f('client', '', 'body')), 1);
  assert.equal(delimiterAt(f('proxy', 'client', '', 'body', '')), 2, 'an empty content frame after the delimiter is content');
  assert.equal(delimiterAt(f('p2', 'p1', 'client', '', 'body')), 3);
  for (const bad of [f('', 'body'), f('client', 'body'), f('client', ''), f('a', 'b', ''), []]) {
    assert.equal(delimiterAt(bad), -1, JSON.stringify(bad.map(String)));
    assert.equal(splitEnvelope(bad), null);
  }
  const split = splitEnvelope(f('proxy', 'client', '', 'a', 'b'));
  assert.deepEqual([split?.envelope.map(String), split?.body.map(String)], [['proxy', 'client', ''], ['a', 'b']]);
});
