import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseParseError, ResponseParser, type ParsedResponse } from './response-parser.js';

/** Feeds `raw` in pieces of `step` bytes; returns the response and the number of bytes fed when it completed. */
function feed(raw: string | Buffer, step: number, noBody = false): { res: ParsedResponse | null; at: number; parser: ResponseParser } {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  const parser = new ResponseParser();
  parser.reset(noBody);
  for (let i = 0; i < bytes.length; i += step) {
    const res = parser.feed(bytes.subarray(i, i + step));
    if (res) return { res, at: Math.min(i + step, bytes.length), parser };
  }
  return { res: null, at: bytes.length, parser };
}

const CHUNKED = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n' + '4;name=value\r\nwiki\r\n' + '6\r\npédia\r\n' + 'C \r\n in\r\nchunks.\r\n' + '0\r\nExpires: never\r\nX-Trailer: 1\r\n\r\n';

test('a chunked body with extensions and trailers parses the same whether fed whole or one byte at a time', () => {
  for (const step of [1, 2, 3, 7, 1000]) {
    const { res, at, parser } = feed(CHUNKED, step);
    assert.ok(res, `step ${step}`);
    assert.equal(res.text, 'wikipédia in\r\nchunks.');
    assert.equal(res.headers['content-type'], 'text/plain');
    assert.equal(res.keepAlive, true);
    assert.equal(at, Buffer.byteLength(CHUNKED));
    assert.equal(parser.trailing, 0);
  }
});

test('interim 1xx replies are skipped; headers are case-insensitive and repeated ones joined', () => {
  const raw = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nCONTENT-LENGTH: 3\r\nX-A: 1\r\nx-a: 2\r\nConnection: Close\r\n\r\nabc';
  for (const step of [1, 5, 1000]) {
    const { res } = feed(raw, step);
    assert.ok(res);
    assert.equal(res.status, 201);
    assert.equal(res.text, 'abc');
    assert.equal(res.headers['x-a'], '1, 2');
    assert.equal(res.keepAlive, false, 'Connection: close is honoured in any case');
  }
});

test('a reply without length is read until the close and never reused; HTTP/1.0 closes unless keep-alive', () => {
  const p = new ResponseParser();
  p.reset(false);
  assert.equal(p.feed(Buffer.from('HTTP/1.1 200 OK\r\n\r\nsome ')), null);
  assert.equal(p.feed(Buffer.from('bytes')), null);
  assert.equal(p.endsAtClose, true);
  const res = p.finishAtClose();
  assert.equal(res.text, 'some bytes');
  assert.equal(res.keepAlive, false);

  assert.equal(feed('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n', 100).res?.keepAlive, false);
  assert.equal(feed('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n', 100).res?.keepAlive, true);
});

test('bytes after a complete reply are reported as trailing', () => {
  const { res, parser } = feed('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA', 1000);
  assert.equal(res?.text, 'ok');
  assert.equal(parser.trailing, 5);
});

test('304 and HEAD replies end at the head despite a Content-Length', () => {
  assert.equal(feed('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n', 1).res?.text, '');
  assert.equal(feed('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', 1, true).res?.text, '');
});

test('what cannot be framed is refused', () => {
  const bad = [
    'HTTP/2 200\r\n\r\n',
    'HTTP/1.1 2x0 OK\r\n\r\n',
    'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n',
    'HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n',
    'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n',
    'HTTP/1.1 101 Switching Protocols\r\n\r\n',
  ];
  for (const raw of bad) assert.throws(() => feed(raw, 1000), ResponseParseError, JSON.stringify(raw));
  const p = new ResponseParser();
  p.reset(false);
  assert.throws(() => {
    for (let i = 0; i < 100; i++) p.feed(Buffer.alloc(1024, 0x61));
  }, /longer than/);
});
