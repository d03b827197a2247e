import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { createHttpClient, type HttpClient } from './index.js';

const T = { timeout: 10_000 };

interface Served {
  url: string;
  /** TCP connections the server accepted. */
  connections(): number;
  /** Of those, how many have closed. */
  closed(): number;
}

async function serve(t: TestContext, handler: (req: IncomingMessage, res: ServerResponse) => void, keepAliveTimeoutMs?: number): Promise<Served> {
  const server = createServer(handler);
  if (keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = keepAliveTimeoutMs;
  let connections = 0;
  let closed = 0;
  server.on('connection', (sock: Socket) => {
    connections++;
    sock.on('close', () => closed++);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections, closed: () => closed };
}

function client(t: TestContext, url: string, connections?: number): HttpClient {
  const c = createHttpClient(connections === undefined ? { url } : { url, connections });
  t.after(() => c.close());
  return c;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** Echoes the request: JSON of method, url, headers and body (as a string) for GET; the raw body for POST. */
function echo(req: IncomingMessage, res: ServerResponse): void {
  void readBody(req).then((body) => {
    if (req.method === 'POST') {
      res.setHeader('content-type', req.headers['content-type'] ?? 'application/octet-stream');
      res.setHeader('x-received-length', String(req.headers['content-length']));
      return res.end(body);
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
  });
}

function codeOf(err: unknown): string | undefined {
  return (err as { code?: string }).code;
}

test('GET and POST bodies arrive and return byte-exact, multi-byte UTF-8 and 1 MiB included', T, async (t) => {
  const s = await serve(t, echo);
  const c = client(t, s.url);

  const get = await c.request({ method: 'GET', path: '/a/b?q=1', headers: { 'x-trace': 'abc' } });
  assert.equal(get.status, 200);
  assert.equal(get.headers['content-type'], 'application/json');
  const seen = JSON.parse(get.text) as { method: string; url: string; headers: Record<string, string> };
  assert.equal(seen.method, 'GET');
  assert.equal(seen.url, '/a/b?q=1');
  assert.equal(seen.headers['x-trace'], 'abc');
  assert.equal(seen.headers['connection'], 'keep-alive');
  assert.equal(seen.headers['host'], new URL(s.url).host);

  const utf8 = 'héllo wörld — 日本語 🚀'.repeat(3);
  const post = await c.request({ method: 'POST', path: '/echo', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: utf8 });
  assert.equal(post.status, 200);
  assert.equal(post.text, utf8);
  assert.equal(post.headers['x-received-length'], String(Buffer.byteLength(utf8)), 'Content-Length counts bytes, not characters');
  assert.equal(post.headers['content-type'], 'text/plain; charset=utf-8');

  // 1 MiB of mixed one- to four-byte characters, so socket chunks split characters.
  const big = 'aé日🚀'.repeat(Math.ceil((1 << 20) / 10)).slice(0, 1 << 19);
  assert.ok(Buffer.byteLength(big) >= 1 << 20);
  const echoed = await c.request({ method: 'POST', path: '/echo', body: big });
  assert.equal(echoed.text.length, big.length);
  assert.equal(echoed.text, big);

  const empty = await c.request({ method: 'POST', path: '/echo' });
  assert.equal(empty.text, '');
  assert.equal(empty.headers['x-received-length'], '0');
  assert.equal(s.connections(), 1, 'sequential requests reuse one socket');
});

test('chunked responses are reassembled, even with a character split across chunks', T, async (t) => {
  const rocket = Buffer.from('🚀', 'utf8');
  const s = await serve(t, (_req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.write('one,');
    setTimeout(() => {
      res.write(rocket.subarray(0, 2));
      setTimeout(() => {
        res.write(rocket.subarray(2));
        res.end(',three');
      }, 10);
    }, 10);
  });
  const c = client(t, s.url, 1);
  for (let i = 0; i < 3; i++) {
    const r = await c.request({ method: 'GET', path: '/chunked' });
    assert.equal(r.headers['transfer-encoding'], 'chunked');
    assert.equal(r.text, 'one,🚀,three');
  }
  assert.equal(s.connections(), 1, 'a chunked reply keeps the socket reusable');
});

test('204 and HEAD replies have no body and leave the socket in step', T, async (t) => {
  const s = await serve(t, (req, res) => {
    if (req.url === '/none') {
      res.statusCode = 204;
      return res.end();
    }
    res.setHeader('content-type', 'text/plain');
    res.setHeader('content-length', '4');
    res.end('body');
  });
  const c = client(t, s.url, 1);
  const none = await c.request({ method: 'GET', path: '/none' });
  assert.equal(none.status, 204);
  assert.equal(none.text, '');
  const head = await c.request({ method: 'HEAD', path: '/x' });
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
  assert.equal(head.headers['content-length'], '4');
  const after = await c.request({ method: 'GET', path: '/x' });
  assert.equal(after.text, 'body');
  assert.equal(s.connections(), 1);
});

test('keep-alive: many requests over a pool of 2 use at most 2 connections', T, async (t) => {
  const s = await serve(t, echo);
  const c = client(t, s.url, 2);
  for (let round = 0; round < 10; round++) {
    const replies = await Promise.all(Array.from({ length: 5 }, (_, i) => c.request({ method: 'POST', path: '/', body: `r${round}-${i}` })));
    assert.deepEqual(replies.map((r) => r.text), Array.from({ length: 5 }, (_, i) => `r${round}-${i}`));
  }
  assert.ok(s.connections() >= 1 && s.connections() <= 2, `connections ${s.connections()}`);
});

test('more concurrent requests than connections all complete, each with its own reply, never more than the pool in flight', T, async (t) => {
  let inFlight = 0;
  let maxInFlight = 0;
  const s = await serve(t, (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    void readBody(req).then((body) =>
      setImmediate(() => {
        inFlight--;
        res.end(body);
      }),
    );
  });
  const c = client(t, s.url, 4);
  const replies = await Promise.all(Array.from({ length: 300 }, (_, i) => c.request({ method: 'POST', path: '/', body: String(i) })));
  assert.deepEqual(replies.map((r) => r.text), Array.from({ length: 300 }, (_, i) => String(i)));
  assert.ok(maxInFlight <= 4, `max in flight at the server ${maxInFlight}`);
  assert.ok(s.connections() <= 4, `connections ${s.connections()}`);
});

test('a Connection: close reply completes, and the requests after it succeed on new sockets', T, async (t) => {
  let n = 0;
  const s = await serve(t, (_req, res) => {
    n++;
    if (n % 2 === 1) res.setHeader('connection', 'close');
    res.end(`reply ${n}`);
  });
  const c = client(t, s.url, 1);
  for (let i = 1; i <= 6; i++) assert.equal((await c.request({ method: 'GET', path: '/' })).text, `reply ${i}`);
  // replies 1, 3, 5 close their socket: 1 | 2-3 | 4-5 | 6
  assert.equal(s.connections(), 4);
  const burst = await Promise.all(Array.from({ length: 6 }, () => c.request({ method: 'GET', path: '/' })));
  assert.equal(burst.length, 6);
});

test('an idle socket the server closes (keep-alive timeout) leaves the pool; the next request opens a new one', T, async (t) => {
  const s = await serve(t, (_req, res) => res.end('ok'), 50);
  const c = client(t, s.url, 1);
  assert.equal((await c.request({ method: 'GET', path: '/' })).text, 'ok');
  // Node rounds the keep-alive timeout up to about a second; wait for the close itself.
  const deadline = Date.now() + 5000;
  while (s.closed() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(s.closed(), 1, 'the server closed the idle socket');
  await new Promise((r) => setTimeout(r, 20)); // let its FIN reach the client
  assert.equal((await c.request({ method: 'GET', path: '/' })).text, 'ok');
  assert.equal(s.connections(), 2);
});

test('a server that drops the socket mid-reply rejects that request with a code; the next request succeeds', T, async (t) => {
  let n = 0;
  const s = await serve(t, (_req, res) => {
    n++;
    if (n === 2) {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    res.end('fine');
  });
  const c = client(t, s.url, 1);
  assert.equal((await c.request({ method: 'GET', path: '/' })).text, 'fine');
  await assert.rejects(c.request({ method: 'GET', path: '/broken' }), (err: Error) => {
    assert.ok(['WB_ERR_HTTP_CLOSED', 'ECONNRESET'].includes(codeOf(err)!), `code ${codeOf(err)}`);
    assert.match(err.message, /GET \/broken/);
    assert.match(err.message, /next request opens a new connection/);
    return true;
  });
  assert.equal((await c.request({ method: 'GET', path: '/' })).text, 'fine');
  assert.equal(s.connections(), 2, 'the broken socket was replaced');
});

test('a refused connection rejects with ECONNREFUSED, queued requests included', T, async (t) => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const c = client(t, `http://127.0.0.1:${port}`, 2);
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => c.request({ method: 'GET', path: '/' })));
  for (const r of results) {
    assert.equal(r.status, 'rejected');
    assert.equal(codeOf(r.reason), 'ECONNREFUSED');
    assert.match((r.reason as Error).message, /is the server listening/);
  }
});

test('a reply that is not HTTP rejects with WB_ERR_HTTP_PARSE and the next request gets a new socket', T, async (t) => {
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server = createTcpServer((sock) => {
    sockets.add(sock);
    accepted++;
    const first = accepted === 1;
    sock.once('data', () => sock.write(first ? 'SSH-2.0-nope\r\n\r\n' : 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const c = client(t, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, 1);
  await assert.rejects(c.request({ method: 'GET', path: '/' }), (err: Error) => codeOf(err) === 'WB_ERR_HTTP_PARSE' && /status line/.test(err.message));
  assert.equal((await c.request({ method: 'GET', path: '/' })).text, 'ok');
  assert.equal(accepted, 2);
});

test('close() rejects queued and in-flight requests with WB_ERR_HTTP_CLOSED, and later requests too', T, async (t) => {
  let arrived = 0;
  const s = await serve(t, () => {
    arrived++; // never answers
  });
  const c = createHttpClient({ url: s.url, connections: 2 });
  const pending = Array.from({ length: 5 }, (_, i) => c.request({ method: 'POST', path: `/${i}`, body: 'x' }));
  const settled = Promise.allSettled(pending);
  const deadline = Date.now() + 5000;
  while (arrived < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  assert.equal(arrived, 2, 'two requests in flight, three queued');
  c.close();
  for (const r of await settled) {
    assert.equal(r.status, 'rejected');
    assert.equal(codeOf(r.reason), 'WB_ERR_HTTP_CLOSED');
  }
  await assert.rejects(c.request({ method: 'GET', path: '/' }), (err: Error) => codeOf(err) === 'WB_ERR_HTTP_CLOSED');
  c.close(); // idempotent
});

test('a bad URL or pool size is refused up front', () => {
  assert.throws(() => createHttpClient({ url: 'not a url' }), (err: Error) => codeOf(err) === 'WB_ERR_HTTP_URL');
  assert.throws(() => createHttpClient({ url: 'https://127.0.0.1:1' }), (err: Error) => codeOf(err) === 'WB_ERR_HTTP_URL');
  assert.throws(() => createHttpClient({ url: 'http://127.0.0.1:1', connections: 0 }), (err: Error) => codeOf(err) === 'WB_ERR_HTTP_CONNECTIONS');
});
