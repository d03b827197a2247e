/**
 * Drivers: one ExecuteTool (or stream, or stdio) call per operation against an endpoint the
 * scenario's env names, every reply validated (validate.ts). The same driver runs against the
 * pool's front endpoint and the bare floor server, so both sides pay the same client cost.
 */
import { randomBytes } from 'node:crypto';
import { OK, errorOutcome, type Driver, type Outcome } from '@wirebench/kit';
import { performance } from 'node:perf_hooks';
import { createStdioClient, WORKER_ID_METADATA_KEY, type StdioClient } from '@wirebench/grpc-pool';
import { AffinityLog, sessionOf } from './affinity-log.js';
import { cpuSecondsOf } from './proc.js';
import { bridgeClient, grpcKind, request, serverStream, unary, type Bridge } from './rpc.js';
import { checkBinary, checkDirectPing, checkPing, checkSleep, checkStream, servedBy, type WireChunk, type WireResponse } from './validate.js';

const DEADLINE_MS = 30_000;

function done(kind: string | null, bytes?: number): Outcome {
  if (kind) return errorOutcome(kind);
  return bytes === undefined ? OK : { status: 'ok', bytes };
}

/** `ping` with a message unique to the operation, so a reply to another call cannot pass. */
export function pingDriver(address: string, o: { sessions?: number; sessionId?: string } = {}): Driver<Bridge> {
  return {
    open: () => bridgeClient(address),
    async perform(c, op) {
      const message = `m${op.workerIndex}-${op.seq}`;
      const sessionId = o.sessionId ?? (o.sessions ? `s${op.seq % o.sessions}` : '');
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
export function streamDriver(address: string, n: number, o: { sessionId?: string } = {}): Driver<Bridge> {
  return {
    open: () => bridgeClient(address),
    async perform(c) {
      const chunks: WireChunk[] = [];
      try {
        for await (const chunk of serverStream<WireChunk>(c, 'ExecuteStreamingTool', request({ tool: 'stream', params: { n }, sessionId: o.sessionId ?? '' }), DEADLINE_MS)) chunks.push(chunk);
      } catch (e) {
        return errorOutcome(grpcKind(e));
      }
      return done(checkStream(chunks, n), chunks.reduce((a, ch) => a + ch.data.length, 0));
    },
    close: (c) => c.close(),
  };
}

/**
 * Time to first chunk: the operation ends at the first chunk (checked: `stream-1`, {i: 1, of: n}),
 * then the call is cancelled. Events rather than for-await: the CANCELLED error grpc-js emits after
 * cancel() needs a listener, or it would be thrown.
 */
export function firstChunkDriver(address: string, n: number): Driver<Bridge> {
  return {
    open: () => bridgeClient(address),
    perform(c) {
      return new Promise<Outcome>((resolve) => {
        let settled = false;
        const settle = (o: Outcome) => {
          if (settled) return;
          settled = true;
          resolve(o);
        };
        const call = serverStream<WireChunk>(c, 'ExecuteStreamingTool', request({ tool: 'stream', params: { n } }), DEADLINE_MS);
        call.on('data', (chunk: WireChunk) => {
          if (settled) return;
          let ok = false;
          try {
            const v = JSON.parse(chunk.data.toString('utf8')) as { i?: unknown; of?: unknown };
            ok = chunk.chunk_id === 'stream-1' && !chunk.is_final && v.i === 1 && v.of === n;
          } catch {
            ok = false;
          }
          settle(done(ok ? null : 'bad_first_chunk', chunk.data.length));
          call.cancel();
        });
        call.on('error', (e) => settle(errorOutcome(grpcKind(e))));
        call.on('end', () => settle(errorOutcome('no_chunk')));
      });
    },
    close: (c) => c.close(),
  };
}

/**
 * CPU of the stdio workers the generator spawned (they are its children, not targets, so the kit
 * does not sample them): per client, /proc CPU from just after negotiation to just before close,
 * and the calls it made over that span (warm-up included on both sides).
 */
export const stdioCpu: Array<{ cpuS: number; calls: number }> = [];

/** The legacy direct protocol: a stdio worker per client (`command`: the compiled worker-main), `ping` echoed. */
export function stdioDriver(command: readonly string[]): Driver<{ c: StdioClient; cpu0: number | null; calls: number }> {
  return {
    async open() {
      const c = await createStdioClient({ command: [...command, '--protocol', 'stdio'], preferred: 'msgpack' });
      return { c, cpu0: cpuSecondsOf(c.pid), calls: 0 };
    },
    async perform(s, op) {
      const message = `m${op.workerIndex}-${op.seq}`;
      s.calls++;
      try {
        return done(checkDirectPing(await s.c.call('ping', { message }), message));
      } catch (e) {
        return errorOutcome((e as { code?: string }).code ?? 'exception');
      }
    },
    async close(s) {
      const cpu = cpuSecondsOf(s.c.pid);
      if (cpu !== null && s.cpu0 !== null) stdioCpu.push({ cpuS: cpu - s.cpu0, calls: s.calls });
      await s.c.close();
    },
  };
}

/** Per affinity arm, every call's session, expected and serving worker (main thread only: no isolate). */
export const affinityLogs = new Map<string, AffinityLog>();

/**
 * `sleep` of `ms` under the session mix (affinity-log.ts), each call logged with the worker the
 * front named (metadata worker_id); the reply is checked as sleepDriver's, and a reply that names
 * no worker is an error: the hit rate could not be judged.
 */
export function affinityDriver(address: string, arm: string, ms: number): Driver<Bridge> {
  const log = affinityLogs.get(arm) ?? new AffinityLog();
  affinityLogs.set(arm, log);
  return {
    open: () => bridgeClient(address),
    async perform(c, op) {
      const session = sessionOf(op.seq);
      const expected = log.expected(session);
      const sentUs = performance.now() * 1000;
      let kind: string | null;
      let served: string | null = null;
      try {
        const r = await unary<WireResponse>(c, 'ExecuteTool', request({ tool: 'sleep', params: { ms }, sessionId: session }), DEADLINE_MS);
        kind = checkSleep(r, ms);
        served = kind ? null : servedBy(r, WORKER_ID_METADATA_KEY);
        if (!kind && !served) kind = 'no_worker_id';
      } catch (e) {
        kind = grpcKind(e);
      }
      log.record({ sentUs, session, expected, served, kind });
      return done(kind);
    },
    close: (c) => c.close(),
  };
}
