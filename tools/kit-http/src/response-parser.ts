/**
 * Incremental HTTP/1.x response parser for the keep-alive client: bytes go in chunk by chunk as
 * the socket delivers them; a response comes out once complete. Hand-written for the same reason
 * as the client (see keepalive-client.ts): llhttp is not exposed by Node, and undici's per-request
 * machinery is what we are avoiding. It covers what a loopback HTTP/1.1 server sends — status line,
 * headers, Content-Length or chunked bodies (extensions and trailers skipped), bodies until close —
 * and rejects anything it cannot frame rather than guessing.
 *
 * Kept because it measured faster than http-parser-js 0.5.10 (`HTTPParser`, the pure-JS parser
 * autocannon brings) on the generator's stream — response-parser.bench.ts: the jsonrpc agent's
 * keep-alive replies (~650 bytes, 1 in 8 chunked, whole or split across reads), same outputs checked.
 * On the shared 2-core VM at load ~10–14, five runs of 11–21 alternating rounds, CPU ns per response
 * (medians): ours 4,337–6,708, http-parser-js 6,522–12,750; http-parser-js ÷ ours 1.45–1.90×
 * (median of per-round ratios 1.44–1.77×). Absolute figures are inflated by the load; the ratio is
 * the finding. Rerun: `node --import tsx tools/kit-http/src/response-parser.bench.ts`.
 */

export interface HttpResponse {
  readonly status: number;
  /** Header names in lower case; repeated headers joined with ', '. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body decoded as UTF-8 (once, when complete). */
  readonly text: string;
}

export interface ParsedResponse extends HttpResponse {
  /** False when the server asked to close (or framed the body by closing): do not reuse the socket. */
  readonly keepAlive: boolean;
}

export class ResponseParseError extends Error {}

const HEAD = 0;
const LENGTH = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const CHUNK_DATA_END = 4;
const TRAILERS = 5;
const UNTIL_CLOSE = 6;
const DONE = 7;

const MAX_HEAD_BYTES = 80 * 1024;
const MAX_LINE_BYTES = 8 * 1024;
const CRLF = Buffer.from('\r\n', 'latin1');
const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
const DIGITS = /^\d+$/;
const HEX = /^[0-9a-fA-F]+$/;

export class ResponseParser {
  private state = HEAD;
  private noBody = false;
  /** Unconsumed bytes of a head, chunk-size line, chunk CRLF or trailer that spans socket chunks. */
  private pending: Buffer | null = null;
  private remaining = 0;
  private parts: Buffer[] = [];
  private bodyBytes = 0;
  private status = 0;
  private headers: Record<string, string> = Object.create(null) as Record<string, string>;
  private keepAlive = true;
  /** Bytes received after the complete response (there should be none: we never pipeline). */
  trailing = 0;
  /** Bytes of the current response seen so far (for error messages). */
  received = 0;

  /** Prepares for the next response; `noBody` for a HEAD request. */
  reset(noBody: boolean): void {
    this.state = HEAD;
    this.noBody = noBody;
    this.pending = null;
    this.remaining = 0;
    this.parts = [];
    this.bodyBytes = 0;
    this.trailing = 0;
    this.received = 0;
  }

  /** True when the body is framed by the connection closing, so end of stream completes it. */
  get endsAtClose(): boolean {
    return this.state === UNTIL_CLOSE;
  }

  /** The response whose body was framed by the connection closing. */
  finishAtClose(): ParsedResponse {
    this.state = DONE;
    return this.result();
  }

  /** Feeds one chunk; returns the response once complete, else null. Throws ResponseParseError. */
  feed(chunk: Buffer): ParsedResponse | null {
    this.received += chunk.length;
    let buf = chunk;
    if (this.pending !== null) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let pos = 0;
    for (;;) {
      switch (this.state) {
        case HEAD: {
          const end = buf.indexOf(CRLFCRLF, pos);
          if (end === -1) return this.keep(buf, pos, MAX_HEAD_BYTES, 'response head');
          this.parseHead(buf.toString('latin1', pos, end));
          pos = end + 4;
          break;
        }
        case LENGTH:
        case CHUNK_DATA: {
          const n = Math.min(this.remaining, buf.length - pos);
          if (n > 0) {
            this.parts.push(buf.subarray(pos, pos + n));
            this.bodyBytes += n;
            this.remaining -= n;
            pos += n;
          }
          if (this.remaining > 0) return null;
          this.state = this.state === LENGTH ? DONE : CHUNK_DATA_END;
          break;
        }
        case CHUNK_SIZE: {
          const eol = buf.indexOf(CRLF, pos);
          if (eol === -1) return this.keep(buf, pos, MAX_LINE_BYTES, 'chunk-size line');
          const line = buf.toString('latin1', pos, eol);
          const semi = line.indexOf(';'); // chunk extensions are ignored
          const hex = (semi === -1 ? line : line.slice(0, semi)).trim();
          if (!HEX.test(hex) || hex.length > 12) throw new ResponseParseError(`bad chunk size line ${JSON.stringify(line.slice(0, 40))}`);
          const size = parseInt(hex, 16);
          pos = eol + 2;
          if (size === 0) this.state = TRAILERS;
          else {
            this.remaining = size;
            this.state = CHUNK_DATA;
          }
          break;
        }
        case CHUNK_DATA_END: {
          if (buf.length - pos < 2) return this.keep(buf, pos, 2, 'chunk end');
          if (buf[pos] !== 13 || buf[pos + 1] !== 10) throw new ResponseParseError('chunk data not followed by CRLF (chunk longer than its declared size)');
          pos += 2;
          this.state = CHUNK_SIZE;
          break;
        }
        case TRAILERS: {
          const eol = buf.indexOf(CRLF, pos);
          if (eol === -1) return this.keep(buf, pos, MAX_LINE_BYTES, 'trailer line');
          this.state = eol === pos ? DONE : TRAILERS; // trailer fields are skipped
          pos = eol + 2;
          break;
        }
        case UNTIL_CLOSE: {
          if (pos < buf.length) {
            this.parts.push(buf.subarray(pos));
            this.bodyBytes += buf.length - pos;
          }
          return null;
        }
        default: {
          this.trailing = buf.length - pos;
          return this.result();
        }
      }
    }
  }

  private keep(buf: Buffer, pos: number, limit: number, what: string): null {
    if (buf.length - pos > limit) throw new ResponseParseError(`${what} longer than ${limit} bytes`);
    if (pos < buf.length) this.pending = buf.subarray(pos);
    return null;
  }

  private parseHead(head: string): void {
    const eol = head.indexOf('\r\n');
    const statusLine = eol === -1 ? head : head.slice(0, eol);
    // "HTTP/1.1 200 OK": version, space, exactly three digits, then end or a space and a reason.
    if (!statusLine.startsWith('HTTP/1.') || statusLine.charCodeAt(8) !== 32 || (statusLine.length > 12 && statusLine.charCodeAt(12) !== 32)) {
      throw new ResponseParseError(`bad status line ${JSON.stringify(statusLine.slice(0, 60))}`);
    }
    const code = statusLine.slice(9, 12);
    if (!DIGITS.test(code)) throw new ResponseParseError(`bad status code in ${JSON.stringify(statusLine.slice(0, 60))}`);
    const status = Number(code);
    const headers = Object.create(null) as Record<string, string>;
    let contentLength = -1;
    let chunked = false;
    let close = statusLine.charCodeAt(7) === 48; // HTTP/1.0 closes unless it says keep-alive
    let last = '';
    let pos = eol === -1 ? head.length : eol + 2;
    while (pos < head.length) {
      let end = head.indexOf('\r\n', pos);
      if (end === -1) end = head.length;
      const line = head.slice(pos, end);
      pos = end + 2;
      const c0 = line.charCodeAt(0);
      if ((c0 === 32 || c0 === 9) && last) {
        headers[last] += ' ' + line.trim(); // obsolete line folding
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) throw new ResponseParseError(`bad header line ${JSON.stringify(line.slice(0, 60))}`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const prev = headers[name];
      headers[name] = prev === undefined ? value : `${prev}, ${value}`;
      last = name;
      if (name === 'content-length') {
        if (!DIGITS.test(value)) throw new ResponseParseError(`bad content-length ${JSON.stringify(value.slice(0, 30))}`);
        const n = Number(value);
        if (contentLength !== -1 && contentLength !== n) throw new ResponseParseError('conflicting content-length headers');
        contentLength = n;
      } else if (name === 'transfer-encoding') {
        chunked = /(?:^|,)\s*chunked\s*$/i.test(headers[name]!);
      } else if (name === 'connection') {
        const v = value.toLowerCase();
        if (v.includes('close')) close = true;
        else if (v.includes('keep-alive')) close = false;
      }
    }
    if (status < 200) {
      // 100/103 interim responses precede the real one; 101 (upgrade) was never asked for.
      if (status === 101) throw new ResponseParseError('unexpected 101 Switching Protocols');
      return;
    }
    this.status = status;
    this.headers = headers;
    this.keepAlive = !close;
    if (this.noBody || status === 204 || status === 304) this.state = DONE;
    else if (chunked) this.state = CHUNK_SIZE;
    else if (contentLength >= 0 && headers['transfer-encoding'] === undefined) {
      this.remaining = contentLength;
      this.state = contentLength === 0 ? DONE : LENGTH;
    } else {
      // No length, or a transfer coding we cannot frame: the body is whatever arrives until the server closes.
      this.keepAlive = false;
      this.state = UNTIL_CLOSE;
    }
  }

  private result(): ParsedResponse {
    const parts = this.parts;
    const text = parts.length === 0 ? '' : parts.length === 1 ? parts[0]!.toString('utf8') : Buffer.concat(parts, this.bodyBytes).toString('utf8');
    this.parts = [];
    return { status: this.status, headers: this.headers, text, keepAlive: this.keepAlive };
  }
}
