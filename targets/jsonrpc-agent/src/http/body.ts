import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { stringifyDetail } from '../rpc-serializers.js';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function sendDetail(reply: FastifyReply, status: number, detail: string): void {
  reply.code(status).header('content-type', JSON_CONTENT_TYPE).send(stringifyDetail({ detail }));
}

/** Step 1: a declared Content-Length over the cap is refused before rate limiting and before reading. */
export function sizeGuard(max: number) {
  return function sizeGuardHook(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const cl = req.headers['content-length'];
    if (cl !== undefined) {
      const n = Number(cl);
      if (n > max) {
        sendDetail(reply, 413, `Request size (${n} bytes) exceeds maximum (${max} bytes)`);
        return;
      }
    }
    done();
  };
}

/**
 * Steps 3–4: Content-Encoding gzip/br is decompressed on the fly; the decompressed stream is then
 * held to fastify's bodyLimit (zip-bomb guard). Other encodings get 415.
 */
export function decompressBody(
  req: FastifyRequest,
  reply: FastifyReply,
  payload: Readable,
  done: (err: Error | null, stream?: Readable) => void,
): void {
  const header = req.headers['content-encoding'];
  if (header === undefined) {
    done(null, payload);
    return;
  }
  const enc = header.toLowerCase().trim();
  if (enc === '' || enc === 'identity') {
    done(null, payload);
    return;
  }
  if (enc !== 'gzip' && enc !== 'br') {
    sendDetail(reply, 415, `Unsupported Content-Encoding: ${enc}. Supported: gzip, br`);
    return;
  }
  const inflate = enc === 'gzip' ? createGunzip() : createBrotliDecompress();
  // fastify compares Content-Length with `receivedEncodedLength` of the stream we hand back.
  const counted = inflate as unknown as { receivedEncodedLength: number };
  counted.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    counted.receivedEncodedLength += chunk.length;
  });
  payload.on('error', (err) => inflate.destroy(err));
  payload.pipe(inflate);
  done(null, inflate);
}
