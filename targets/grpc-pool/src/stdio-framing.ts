import type { Packr } from 'msgpackr';
import { PoolError, PoolErrorCode } from './errors.js';

/** Erlang `{:packet, 4}`: 4-byte big-endian unsigned length, then exactly that many bytes. */
export const MAX_FRAME_BYTES = 100 * 1024 * 1024;
export type StdioProtocol = 'json' | 'msgpack';
export const STDIO_PROTOCOLS: readonly StdioProtocol[] = ['msgpack', 'json'];

let packrOnce: Packr | undefined;

/**
 * Loads msgpackr (once): the stdio worker and client await it before their first frame. A dynamic
 * import, because a bundled gRPC worker carries this module too (the stdio mode lives in the same
 * main), and msgpackr with its native half cost ~20 ms of every gRPC worker's start-up when
 * imported at the top; bundlers still bundle it (a createRequire call they cannot see).
 */
export async function loadMsgpack(): Promise<void> {
  if (packrOnce) return;
  const { Packr } = await import('msgpackr');
  // Plain maps both ways; Buffers as msgpack bin.
  packrOnce ??= new Packr({ useRecords: false, mapsAsObjects: true });
}

function packr(): Packr {
  if (!packrOnce) throw new Error('msgpack used before loadMsgpack(): await it before the first msgpack frame');
  return packrOnce;
}

export function frameHeader(length: number): Buffer {
  const h = Buffer.allocUnsafe(4);
  h.writeUInt32BE(length, 0);
  return h;
}

export function encodeFrame(body: Buffer): Buffer {
  return Buffer.concat([frameHeader(body.length), body]);
}

/** Splits a byte stream into frame bodies. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly maxBytes = MAX_FRAME_BYTES) {}

  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    while (this.buf.length >= 4) {
      const n = this.buf.readUInt32BE(0);
      if (n > this.maxBytes) throw new PoolError(PoolErrorCode.BadFrame, `frame of ${n} bytes is over the ${this.maxBytes}-byte limit`, 'the stream is out of step or the peer is not speaking 4-byte-length frames');
      if (this.buf.length < 4 + n) break;
      out.push(this.buf.subarray(4, 4 + n));
      this.buf = this.buf.subarray(4 + n);
    }
    return out;
  }
}

export function encodeBody(msg: unknown, protocol: StdioProtocol): Buffer {
  if (protocol === 'msgpack') return packr().pack(msg);
  return Buffer.from(JSON.stringify(msg));
}

/** Decodes a body; bodies starting with 0x83 (Erlang external term format) are refused. */
export function decodeBody(body: Buffer, protocol: StdioProtocol): unknown {
  if (body[0] === 0x83) throw new PoolError(PoolErrorCode.BadFrame, 'body is Erlang external term format (starts with 0x83)', 'send JSON or MessagePack');
  try {
    return protocol === 'msgpack' ? packr().unpack(body) : JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new PoolError(PoolErrorCode.BadFrame, `body is not valid ${protocol}: ${(e as Error).message}`, 'send the negotiated protocol', { cause: e });
  }
}
