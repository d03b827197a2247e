/**
 * A minimal HTTP/1.1 keep-alive client for open-loop load generators.
 *
 * Why hand-written: on a 2-core machine the generator thread shares the CPU with the server under
 * test, and undici's per-request cost (dispatcher layers, handler objects, body streams) made the
 * generator the bottleneck — it could not keep its send schedule above ~6,000 requests/s, so
 * latency scenarios were invalid (late sends). A generator needs only HTTP/1.1 keep-alive to a
 * loopback server: a fixed pool of sockets, one request in flight per socket (no pipelining),
 * one `write` per request with a precomputed head, and a small incremental response parser
 * (response-parser.ts). Nothing else: no TLS, proxies, redirects, retries, streaming or timeouts
 * (the kit's engine times operations out itself).
 *
 * Errors reject the request with an Error carrying `code`: the socket's code (ECONNREFUSED,
 * ECONNRESET, …), WB_ERR_HTTP_CLOSED (server closed mid-response, or close() was called) or
 * WB_ERR_HTTP_PARSE (the reply is not HTTP/1.1 we can frame). A broken socket is dropped; the next
 * request opens a new one. Requests are never retried: a POST may have been acted on.
 */
import { connect, type Socket } from 'node:net';
import { ResponseParseError, ResponseParser, type HttpResponse } from './response-parser.js';

export type { HttpResponse } from './response-parser.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'HEAD';
  /** Request target, e.g. '/asap?x=1'. */
  path: string;
  /** Extra headers. Host, Connection and Content-Length are the client's: do not pass them. */
  headers?: Record<string, string>;
  /** Sent as UTF-8; Content-Length counts its bytes. */
  body?: string;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  /** Rejects queued and in-flight requests (WB_ERR_HTTP_CLOSED) and destroys the sockets. */
  close(): void;
}

export interface HttpClientOptions {
  /** http://host:port — the path, if any, is ignored (each request names its own). */
  url: string;
  /** Sockets in the pool (default 16), opened when first needed. */
  connections?: number;
}

export interface HttpClientError extends Error {
  code: string;
}

function httpError(code: string, message: string, cause?: unknown): HttpClientError {
  const err = new Error(message, cause === undefined ? undefined : { cause }) as HttpClientError;
  err.code = code;
  return err;
}

interface Pending {
  readonly method: string;
  readonly path: string;
  readonly payload: string;
  resolve(res: HttpResponse): void;
  reject(err: Error): void;
}

/** FIFO without Array#shift's copying when a burst queues thousands of requests. */
class Queue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  push(x: T): void {
    this.items.push(x);
  }
  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const x = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch (cause) {
    throw httpError('WB_ERR_HTTP_URL', `WB_ERR_HTTP_URL: ${JSON.stringify(opts.url)} is not a URL; pass http://host:port`, cause);
  }
  if (url.protocol !== 'http:') throw httpError('WB_ERR_HTTP_URL', `WB_ERR_HTTP_URL: ${opts.url} is not http:; this client speaks plain HTTP/1.1 only`);
  const max = opts.connections ?? 16;
  if (!Number.isInteger(max) || max < 1) throw httpError('WB_ERR_HTTP_CONNECTIONS', `WB_ERR_HTTP_CONNECTIONS: connections must be an integer >= 1 (got ${max})`);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? 80 : Number(url.port);
  const where = url.host;
  const constHead = ` HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n`;

  const all = new Set<Conn>();
  const idle: Conn[] = [];
  const queue = new Queue<Pending>();
  let closed = false;

  /** Hands queued requests to idle sockets, opening new ones up to the pool size. */
  function pump(): void {
    while (queue.size > 0) {
      const c = idle.pop() ?? (all.size < max ? new Conn() : undefined);
      if (c === undefined) return;
      c.send(queue.shift()!);
    }
  }

  class Conn {
    readonly socket: Socket;
    readonly parser = new ResponseParser();
    current: Pending | null = null;
    error: (Error & { code?: string }) | null = null;
    dead = false;

    constructor() {
      all.add(this);
      this.socket = connect({ host, port });
      this.socket.setNoDelay(true);
      this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
      this.socket.on('error', (err) => {
        this.error = err;
      });
      this.socket.on('end', () => this.onEnd());
      this.socket.on('close', () => this.onClose());
    }

    send(p: Pending): void {
      this.current = p;
      this.parser.reset(p.method === 'HEAD');
      this.socket.write(p.payload);
    }

    /** Takes this socket out of the pool for good. */
    drop(): void {
      if (this.dead) return;
      this.dead = true;
      all.delete(this);
      const i = idle.indexOf(this);
      if (i !== -1) idle.splice(i, 1);
      this.socket.destroy();
    }

    private onData(chunk: Buffer): void {
      const p = this.current;
      if (p === null) {
        // Bytes nobody asked for: the stream is out of step, so the socket cannot be trusted.
        this.drop();
        pump();
        return;
      }
      let res;
      try {
        res = this.parser.feed(chunk);
      } catch (err) {
        this.current = null;
        this.drop();
        const detail = err instanceof ResponseParseError ? err.message : String(err);
        p.reject(httpError('WB_ERR_HTTP_PARSE', `WB_ERR_HTTP_PARSE: the reply to ${p.method} ${p.path} from ${where} is not HTTP/1.1 this client can read (${detail}); check that the URL points at an HTTP/1.1 server. The connection was dropped; the next request opens a new one.`, err));
        pump();
        return;
      }
      if (res === null) return;
      this.current = null;
      p.resolve({ status: res.status, headers: res.headers, text: res.text });
      if (!res.keepAlive || this.parser.trailing > 0 || closed) {
        this.drop();
        pump();
        return;
      }
      const next = queue.shift();
      if (next === undefined) idle.push(this);
      else this.send(next);
    }

    /** The server finished its side: completes a body framed by the close, else the request fails. */
    private onEnd(): void {
      if (this.dead) return;
      const p = this.current;
      this.current = null;
      this.drop();
      if (p !== null) {
        if (this.parser.endsAtClose) {
          const res = this.parser.finishAtClose();
          p.resolve({ status: res.status, headers: res.headers, text: res.text });
        } else p.reject(this.brokenError(p));
      }
      pump();
    }

    private onClose(): void {
      if (this.dead) return;
      const p = this.current;
      this.current = null;
      this.drop();
      if (p !== null) p.reject(this.brokenError(p));
      pump();
    }

    private brokenError(p: Pending): HttpClientError {
      const got = this.parser.received;
      const e = this.error;
      if (e?.code) {
        const hint = e.code === 'ECONNREFUSED' ? `is the server listening on ${where}?` : `the connection broke (${got} bytes of the reply received); check the server's log.`;
        return httpError(e.code, `${e.code}: ${p.method} ${p.path} to ${where} failed: ${e.message}; ${hint} The next request opens a new connection.`, e);
      }
      return httpError('WB_ERR_HTTP_CLOSED', `WB_ERR_HTTP_CLOSED: ${where} closed the connection before the reply to ${p.method} ${p.path} was complete (${got} bytes received); the server crashed or dropped the connection, check its log. The next request opens a new connection.`, e ?? undefined);
    }
  }

  function request(req: HttpRequest): Promise<HttpResponse> {
    if (closed) return Promise.reject(closedError(req.method, req.path, 'after'));
    let head = req.method + ' ' + req.path + constHead;
    const h = req.headers;
    if (h !== undefined) for (const name in h) head += name + ': ' + h[name] + '\r\n';
    const body = req.body;
    const payload = body !== undefined ? head + 'Content-Length: ' + Buffer.byteLength(body) + '\r\n\r\n' + body : req.method === 'POST' ? head + 'Content-Length: 0\r\n\r\n' : head + '\r\n';
    return new Promise<HttpResponse>((resolve, reject) => {
      const p: Pending = { method: req.method, path: req.path, payload, resolve, reject };
      const c = idle.pop() ?? (all.size < max ? new Conn() : undefined);
      if (c === undefined) queue.push(p);
      else c.send(p);
    });
  }

  function closedError(method: string, path: string, when: string): HttpClientError {
    return httpError('WB_ERR_HTTP_CLOSED', `WB_ERR_HTTP_CLOSED: ${method} ${path} to ${where} was ${when === 'after' ? 'requested after' : `${when} when`} the client was closed; close the client only once the requests you need have settled.`);
  }

  function close(): void {
    if (closed) return;
    closed = true;
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) p.reject(closedError(p.method, p.path, 'queued'));
    for (const c of [...all]) {
      const p = c.current;
      c.current = null;
      c.drop();
      if (p !== null) p.reject(closedError(p.method, p.path, 'in flight'));
    }
  }

  return { request, close };
}
