import type { Readable, Writable } from 'node:stream';
import { decodeBody, encodeBody, encodeFrame, FrameDecoder, loadMsgpack, STDIO_PROTOCOLS } from './stdio-framing.js';
import type { StdioProtocol } from './stdio-framing.js';
import { createTools, findTool } from './tools.js';

export interface StdioWorkerOptions {
  workerId?: string;
  /** Protocols this side accepts, in preference order; default msgpack, json. */
  supported?: readonly StdioProtocol[];
}

export interface StdioRequest {
  id: number;
  command: string;
  args: Record<string, unknown>;
}

const iso = () => new Date().toISOString();

/** The negotiation reply: the peer's preferred protocol if both speak it, else the first shared one, else JSON. */
export function selectProtocol(msg: unknown, supported: readonly StdioProtocol[] = STDIO_PROTOCOLS): StdioProtocol | undefined {
  if (!msg || typeof msg !== 'object' || (msg as { type?: unknown }).type !== 'protocol_negotiation') return undefined;
  const m = msg as { preferred?: unknown; supported?: unknown };
  const theirs = Array.isArray(m.supported) ? m.supported.filter((p): p is StdioProtocol => supported.includes(p as StdioProtocol)) : [];
  if (typeof m.preferred === 'string' && theirs.includes(m.preferred as StdioProtocol)) return m.preferred as StdioProtocol;
  return theirs[0] ?? 'json';
}

function checkRequest(msg: unknown): StdioRequest | string {
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return 'request must be a map';
  const r = msg as Record<string, unknown>;
  if (typeof r.id !== 'number' || !Number.isInteger(r.id) || r.id < 0) return "'id' must be a non-negative integer";
  if (typeof r.command !== 'string') return "'command' must be a string";
  const args = r.args ?? {};
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return "'args' must be a map";
  return { id: r.id, command: r.command, args: args as Record<string, unknown> };
}

/**
 * The legacy "direct" worker (removed from Snakepit in July 2025): 4-byte length frames on
 * stdin/stdout, JSON negotiation first, then requests answered one at a time in the chosen
 * protocol. Same tools as the gRPC worker; `ping` answers as the generic adapter did.
 * Resolves when the input ends.
 */
export function runStdioWorker(input: Readable, output: Writable, opts: StdioWorkerOptions = {}): Promise<void> {
  const workerId = opts.workerId ?? `stdio_${process.pid}`;
  const tools = createTools();
  const started = Date.now();
  const decoder = new FrameDecoder();
  let protocol: StdioProtocol = 'json';
  let negotiated = false;
  let requests = 0;
  let chain = Promise.resolve();

  const send = (msg: unknown, p: StdioProtocol = protocol) => output.write(encodeFrame(encodeBody(msg, p)));

  async function answer(req: StdioRequest): Promise<unknown> {
    requests++;
    if (req.command === 'ping') {
      return { status: 'ok', uptime: (Date.now() - started) / 1000, requests, timestamp: iso(), node_version: process.version, worker_id: workerId, echo: req.args };
    }
    const binary: Record<string, Buffer> = {};
    const args: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(req.args)) {
      if (v instanceof Uint8Array) binary[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      else args[k] = v;
    }
    const tool = findTool(tools, req.command);
    if (tool.streaming) throw new Error(`'${req.command}' is a streaming tool; the stdio protocol has no streams`);
    const out = await tool.run({ args, binary, workerId });
    if (!out.binary) return out.value;
    return protocol === 'msgpack' ? { ...out.binary.meta, data: out.binary.bytes } : { ...out.binary.meta, base64: out.binary.bytes.toString('base64') };
  }

  async function handle(body: Buffer): Promise<void> {
    let msg: unknown;
    try {
      msg = decodeBody(body, negotiated ? protocol : 'json');
    } catch (e) {
      negotiated = true;
      return void send({ id: null, success: false, error: (e as Error).message, timestamp: iso() });
    }
    if (!negotiated) {
      negotiated = true;
      const chosen = selectProtocol(msg, opts.supported);
      if (chosen) {
        send({ type: 'protocol_selected', protocol: chosen, timestamp: iso() }, 'json');
        protocol = chosen;
        return;
      }
    }
    const req = checkRequest(msg);
    if (typeof req === 'string') return void send({ id: (msg as { id?: unknown } | null)?.id ?? null, success: false, error: req, timestamp: iso() });
    try {
      send({ id: req.id, success: true, result: await answer(req), timestamp: iso() });
    } catch (e) {
      send({ id: req.id, success: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), timestamp: iso() });
    }
  }

  // Frames that arrive meanwhile wait in the stream: 'data' is not listened to until then.
  return loadMsgpack().then(() => new Promise<void>((resolve) => {
    input.on('data', (chunk: Buffer) => {
      let bodies: Buffer[];
      try {
        bodies = decoder.push(chunk);
      } catch (e) {
        send({ id: null, success: false, error: (e as Error).message, timestamp: iso() });
        input.destroy();
        return;
      }
      for (const b of bodies) chain = chain.then(() => handle(b));
    });
    input.once('close', () => void chain.then(resolve));
    input.once('end', () => void chain.then(resolve));
  }));
}
