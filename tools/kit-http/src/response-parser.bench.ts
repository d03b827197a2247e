/**
 * Is the hand-written ResponseParser worth keeping? It races http-parser-js's HTTPParser (pure JS,
 * already installed through autocannon) on what the keep-alive client parses: the jsonrpc agent's
 * keep-alive replies (fastify's real head, ~480-byte JSON-RPC bodies, ~650 bytes in all), one in
 * eight chunked as node:http sends it, each delivered whole or split across reads at several points.
 * Both sides produce what the client hands out (status, lower-cased headers with repeats joined,
 * UTF-8 text, keep-alive); their outputs are compared before anything is timed.
 *
 *   node --import tsx tools/kit-http/src/response-parser.bench.ts [--rounds 11] [--ms 400]
 *
 * Rounds alternate between the two (ABBA order) and each side's figure is the median of its rounds:
 * the machine is a shared 2-core VM. Not a test: it asserts nothing about speed.
 */
import { parseArgs } from 'node:util';
import { HTTPParser } from 'http-parser-js';
import { ResponseParser, type ParsedResponse } from './response-parser.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '11' }, ms: { type: 'string', default: '400' } } });
const ROUNDS = Number(values.rounds);
const ROUND_MS = Number(values.ms);

// --- the stream -------------------------------------------------------------------------------

const ULID = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ulid = (i: number): string => `01M8S19AZ${String(i).padStart(4, '0')}${ULID.slice(i % 20, (i % 20) + 13)}`.slice(0, 26);

/** The agent's echo reply to request `i`, shaped as a live agent sent it (476 bytes there). */
function rpcBody(i: number): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    result: {
      envelope: {
        id: ulid(i), asap_version: '0.1', timestamp: '2026-12-01T14:49:05.271Z',
        sender: 'urn:asap:agent:default-server', recipient: 'urn:asap:agent:bench-client', payload_type: 'task.response',
        payload: { task_id: `task_${ulid(i + 1)}`, status: 'completed', result: { echoed: { n: i } }, final_state: null, metrics: null },
        correlation_id: ulid(i + 2), trace_id: null, extensions: null,
      },
    },
    id: i,
  });
}

/** fastify 5's head for that reply, byte for byte. */
function fastifyReply(i: number): Buffer {
  const body = rpcBody(i);
  return Buffer.from(
    `HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `Date: Tue, 01 Dec 2026 14:49:05 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=72\r\n\r\n${body}`,
    'latin1',
  );
}

/** node:http's head when the body is written in pieces: chunked, two chunks. */
function chunkedReply(i: number): Buffer {
  const body = rpcBody(i);
  const a = body.slice(0, 200);
  const b = body.slice(200);
  return Buffer.from(
    'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Tue, 01 Dec 2026 14:49:05 GMT\r\nConnection: keep-alive\r\n' +
      `Keep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\n\r\n${a.length.toString(16)}\r\n${a}\r\n${b.length.toString(16)}\r\n${b}\r\n0\r\n\r\n`,
    'latin1',
  );
}

/** Where reads end, as fractions of the response: whole, inside the head, at the head's end, inside the body, three pieces. */
const SPLITS: number[][] = [[], [], [], [0.1], [0.25], [0.5], [0.8], [0.3, 0.7]];

function split(raw: Buffer, at: number[]): Buffer[] {
  const cuts = at.map((f) => Math.max(1, Math.min(raw.length - 1, Math.round(raw.length * f))));
  const out: Buffer[] = [];
  let from = 0;
  for (const c of cuts) {
    out.push(raw.subarray(from, c));
    from = c;
  }
  out.push(raw.subarray(from));
  return out;
}

const STREAM: Buffer[][] = Array.from({ length: 64 }, (_, i) => split(i % 8 === 7 ? chunkedReply(i) : fastifyReply(i), SPLITS[(i * 3) % SPLITS.length]!));
const READS = STREAM.reduce((n, r) => n + r.length, 0);

// --- the two parsers, each as the client would drive it ---------------------------------------

interface Side {
  name: string;
  /** Parses the whole stream on one keep-alive connection; returns the responses. */
  run(out: ParsedResponse[] | null): number;
}

function ours(): Side {
  const parser = new ResponseParser();
  return {
    name: 'ResponseParser (ours)',
    run(out) {
      let sink = 0;
      for (const reads of STREAM) {
        parser.reset(false);
        for (const chunk of reads) {
          const res = parser.feed(chunk);
          if (res !== null) {
            sink += res.status + res.text.length;
            out?.push(res);
          }
        }
      }
      return sink;
    },
  };
}

interface HeadInfo {
  statusCode: number;
  headers: string[];
  shouldKeepAlive: boolean;
}

function httpParserJs(): Side {
  const parser = new HTTPParser(HTTPParser.RESPONSE);
  let status = 0;
  let headers: Record<string, string> = {};
  let keepAlive = true;
  let interim = false;
  let parts: Buffer[] = [];
  let bytes = 0;
  let done: ParsedResponse | null = null;
  parser[HTTPParser.kOnHeadersComplete] = ((info: HeadInfo) => {
    if (info.statusCode < 200) {
      interim = true;
      return;
    }
    const h = Object.create(null) as Record<string, string>;
    const raw = info.headers;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!.toLowerCase();
      const prev = h[name];
      h[name] = prev === undefined ? raw[i + 1]! : `${prev}, ${raw[i + 1]!}`;
    }
    status = info.statusCode;
    headers = h;
    keepAlive = info.shouldKeepAlive;
  }) as never;
  parser[HTTPParser.kOnBody] = (chunk: Buffer) => {
    parts.push(chunk);
    bytes += chunk.length;
  };
  parser[HTTPParser.kOnMessageComplete] = () => {
    if (interim) {
      interim = false;
      return;
    }
    const text = parts.length === 0 ? '' : parts.length === 1 ? parts[0]!.toString('utf8') : Buffer.concat(parts, bytes).toString('utf8');
    parts = [];
    bytes = 0;
    done = { status, headers, text, keepAlive };
  };
  return {
    name: 'http-parser-js HTTPParser',
    run(out) {
      let sink = 0;
      for (const reads of STREAM) {
        for (const chunk of reads) {
          const r = parser.execute(chunk);
          if (r instanceof Error) throw r;
          const res = done as ParsedResponse | null;
          if (res !== null) {
            done = null;
            sink += res.status + res.text.length;
            out?.push(res);
          }
        }
      }
      return sink;
    },
  };
}

// --- check, then time ---------------------------------------------------------------------------

const sides = [ours(), httpParserJs()];
const outputs = sides.map((s) => {
  const out: ParsedResponse[] = [];
  s.run(out);
  return JSON.stringify(out.map((r) => [r.status, { ...r.headers }, r.text, r.keepAlive]));
});
if (outputs[0] !== outputs[1]) throw new Error('the two parsers disagree on the stream; fix that before timing');
if (JSON.parse(outputs[0]!).length !== STREAM.length) throw new Error('not every response was parsed');

/**
 * ns per response over one round of ROUND_MS of this process's CPU time (user + system), not wall
 * time: with the other engineers' work the VM runs at a load of ~14 on 2 cores, and wall time would
 * mostly count the time this thread waited for a CPU. Wall-clock figures are printed beside them.
 */
function round(side: Side): { cpu: number; wall: number } {
  let n = 0;
  let sink = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let cpuUs = 0;
  while (cpuUs < ROUND_MS * 1000) {
    for (let k = 0; k < 20; k++) sink += side.run(null);
    n += 20;
    const c = process.cpuUsage(c0);
    cpuUs = c.user + c.system;
  }
  const wall = Number(process.hrtime.bigint() - t0);
  if (sink === 0) throw new Error('nothing parsed');
  return { cpu: (cpuUs * 1000) / (n * STREAM.length), wall: wall / (n * STREAM.length) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

for (const s of sides) round(s); // warm-up: both JIT-compiled before the first measured round
const cpu: number[][] = sides.map(() => []);
const wall: number[][] = sides.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? [0, 1] : [1, 0];
  for (const i of order) {
    const f = round(sides[i]!);
    cpu[i]!.push(f.cpu);
    wall[i]!.push(f.wall);
  }
}

const bytes = STREAM.reduce((n, reads) => n + reads.reduce((m, c) => m + c.length, 0), 0);
console.log(`stream: ${STREAM.length} responses (${STREAM.length / 8} chunked), ${READS} reads, ${Math.round(bytes / STREAM.length)} bytes per response; ${ROUNDS} alternating rounds of ${ROUND_MS} ms CPU each`);
const meds = cpu.map(median);
sides.forEach((s, i) => {
  const f = cpu[i]!;
  console.log(
    `${s.name.padEnd(26)} median ${meds[i]!.toFixed(0).padStart(5)} ns/response CPU (rounds ${Math.round(Math.min(...f))}–${Math.round(Math.max(...f))}); wall ${median(wall[i]!).toFixed(0)}`,
  );
});
// Each round's pair ran back to back, under about the same load: their ratio is steadier than either figure.
const pairRatios = cpu[0]!.map((o, r) => cpu[1]![r]! / o);
console.log(
  `http-parser-js ÷ ours: ${(meds[1]! / meds[0]!).toFixed(2)}× (ratio of medians), ${median(pairRatios).toFixed(2)}× (median of per-round ratios, ` +
    `${Math.min(...pairRatios).toFixed(2)}–${Math.max(...pairRatios).toFixed(2)}); above 1: ours is faster`,
);
