import { fail, readOptions, toNumber } from './cli.js';
import { createClient } from './client.js';
import { BridgeError, ErrorCode } from './errors.js';
import type { Format } from './codec.js';
import { OPS } from './compute.js';
import type { Op } from './compute.js';

// A small load/debug client. Flags or env (WB_ZMQ_<FLAG>): --endpoint, --op (sum), --n (1000 floats),
// --count (10 sequential requests), --format (auto|json|msgpack|raw), --timeout-ms, --retries.
// Prints one JSON line per request and a summary line with the client counters.
try {
  const o = readOptions(['endpoint', 'op', 'n', 'count', 'format', 'timeout-ms', 'retries']);
  const op = (o.op ?? 'sum') as Op;
  if (!(OPS as readonly string[]).includes(op)) throw new BridgeError(ErrorCode.BadOption, `--op must be one of ${OPS.join(', ')}`);
  const n = toNumber('n', o.n) ?? 1000;
  const count = toNumber('count', o.count) ?? 10;
  const client = createClient({
    endpoint: o.endpoint,
    format: (o.format ?? 'auto') as Format | 'auto',
    timeoutMs: toNumber('timeout-ms', o['timeout-ms']),
    retries: toNumber('retries', o.retries),
  });
  const data = Float32Array.from({ length: n }, (_, i) => i % 7);
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    try {
      const r = await client.compute(op, data, op === 'dot' ? data : undefined);
      const ms = performance.now() - t0;
      process.stdout.write(`${JSON.stringify({ i, ms, retries: r.retries, format: r.format, status: r.reply.status, result: op === 'echo' ? n : r.reply.result })}\n`);
    } catch (e) {
      process.stdout.write(`${JSON.stringify({ i, error: (e as { code?: string }).code ?? String(e) })}\n`);
    }
  }
  process.stdout.write(`${JSON.stringify({ counters: client.counters() })}\n`);
  client.close();
} catch (e) {
  fail(e);
}
