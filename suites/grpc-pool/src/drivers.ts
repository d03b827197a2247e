/**
 * Drivers: one ExecuteTool (or stream, or stdio) call per operation against an endpoint the
 * scenario's env names, every reply validated (validate.ts). The same driver runs against the
 * pool's front endpoint and the bare floor server, so both sides pay the same client cost.
 */
import { randomBytes } from 'node:crypto';
import { OK, errorOutcome, type Driver, type Outcome } from '@wirebench/kit';
import { createStdioClient, type StdioClient } from '@wirebench/grpc-pool';
import { bridgeClient, grpcKind, request, unary, type Bridge } from './rpc.js';
import { checkBinary, checkDirectPing, checkPing, checkSleep, checkStream, type WireChunk, type WireResponse } from './validate.js';

const DEADLINE_MS = 30_000;

function done(kind: string | null, bytes?: number): Outcome {
  if (kind) return errorOutcome(kind);
  return bytes === undefined ? OK : { status: 'ok', bytes };
}

/** `ping` with a message unique to the operation, so a reply to another call cannot pass. */
export function pingDriver(address: string, o: { sessions?: number } = {}): Driver<Bridge> {
  return {
    open: () => bridgeClient(address),
    async perform(c, op) {
      const message = `m${op.workerIndex}-${op.seq}`;
      const sessionId = o.sessions ? `s${op.seq % o.sessions}` : '';
      try {
        const r = await unary<WireResponse>(c, 'ExecuteTool', request({ tool: 'ping', params: { message }, sessionId }), DEADLINE_MS);
        return done(checkPing(r, message));
      } catch (e) {
        return errorOutcome(grpcKind(e));
      }
    },
    close: (c) => c.close(),
  };
}

/** `sleep` of `ms` (work that holds a worker), for queue and recycling scenarios. */
export function sleepDriver(address: string, ms: number): Driver<Bridge> {
  return {
    open: () => bridgeClient(address),
    async perform(c) {
      try {
        return done(checkSleep(await unary<WireResponse>(c, 'ExecuteTool', request({ tool: 'sleep', params: { ms } }), DEADLINE_MS), ms));
      } catch (e) {
        return errorOutcome(grpcKind(e));
      }
    },
    close: (c) => c.close(),
  };
}

/** `binary` of `size` random bytes (> 10,240: the binary_result path); Outcome.bytes = sent + received. */
export function binaryDriver(address: string, size: number): Driver<{ c: Bridge; data: Buffer }> {
  return {
    open: () => ({ c: bridgeClient(address), data: randomBytes(size) }),
    async perform({ c, data }) {
      try {
        const r = await unary<WireResponse>(c, 'ExecuteTool', request({ tool: 'binary', binary: { data } }), DEADLINE_MS);
        return done(checkBinary(r, data), data.length + (r.binary_result?.length ?? 0));
      } catch (e) {
        return errorOutcome(grpcKind(e));
      }
    },
    close: ({ c }) => c.close(),
  };
}

/** One ExecuteStreamingTool `stream` of n chunks per operation; Outcome.bytes = chunk payload bytes. */
export function streamDriver(address: string, n: number): Driver<Bridge> {
  return {
    open: () => bridgeClient(address),
    async perform(c) {
      const chunks: WireChunk[] = [];
      try {
        const call = c.ExecuteStreamingTool!(request({ tool: 'stream', params: { n } }), undefined, { deadline: Date.now() + DEADLINE_MS }) as AsyncIterable<WireChunk>;
        for await (const chunk of call) chunks.push(chunk);
      } catch (e) {
        return errorOutcome(grpcKind(e));
      }
      return done(checkStream(chunks, n), chunks.reduce((a, ch) => a + ch.data.length, 0));
    },
    close: (c) => c.close(),
  };
}

/** Time to first chunk: the operation ends at the first chunk (checked), the rest is cancelled. */
export function firstChunkDriver(address: string, n: number): Driver<Bridge> {
  return {
    open: () => bridgeClient(address),
    async perform(c) {
      const call = c.ExecuteStreamingTool!(request({ tool: 'stream', params: { n } }), undefined, { deadline: Date.now() + DEADLINE_MS });
      try {
        for await (const chunk of call as AsyncIterable<WireChunk>) {
          call.cancel();
          const ok = chunk.chunk_id === 'stream-1' && !chunk.is_final && JSON.parse(chunk.data.toString('utf8')).i === 1;
          return done(ok ? null : 'bad_first_chunk', chunk.data.length);
        }
        return errorOutcome('no_chunk');
      } catch (e) {
        return errorOutcome(grpcKind(e));
      }
    },
    close: (c) => c.close(),
  };
}

/** The legacy direct protocol: a stdio worker per client (spawned by the target's client), `ping` echoed. */
export function stdioDriver(): Driver<StdioClient> {
  return {
    open: () => createStdioClient({ preferred: 'msgpack' }),
    async perform(c, op) {
      const message = `m${op.workerIndex}-${op.seq}`;
      try {
        return done(checkDirectPing(await c.call('ping', { message }), message));
      } catch (e) {
        return errorOutcome((e as { code?: string }).code ?? 'exception');
      }
    },
    close: (c) => c.close(),
  };
}
