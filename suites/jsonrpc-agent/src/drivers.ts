/**
 * HTTP drivers (kit-http's keep-alive client: one request per socket, a fixed pool; undici cost
 * the generator too much CPU on 2 cores to keep half-max's schedule) for the kit's engine. Each validates the whole reply
 * (see wire.ts) and names the failure kind; a throw (connection refused, reset) counts as an error
 * of kind err.code. The env is plain data so generator worker threads can rebuild the drivers.
 */
import { OK, errorOutcome, type Driver, type OpContext, type Outcome } from '@wirebench/kit';
import { createHttpClient, type HttpClient } from '@wirebench/kit-http';
import {
  ASAP_PATH,
  MANIFEST_PATH,
  METRICS_PATH,
  batchRequest,
  checkBaselineText,
  checkBatchText,
  checkManifestText,
  checkMetricsText,
  checkSendText,
  envelopeId,
  inputOfSize,
  taskTemplate,
  type Check,
  type TaskTemplate,
} from './wire.js';

export interface HttpEnv {
  url: string;
  /** Keep-alive connections per generator worker. */
  connections?: number;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function pool(env: HttpEnv): HttpClient {
  return createHttpClient({ url: env.url, connections: env.connections ?? 16 });
}

const outcome = (c: Check): Outcome => (c === null ? OK : errorOutcome(c));

function post(p: HttpClient, body: string): Promise<{ status: number; text: string }> {
  return p.request({ path: ASAP_PATH, method: 'POST', headers: JSON_HEADERS, body });
}

function get(p: HttpClient, path: string): Promise<{ status: number; text: string }> {
  return p.request({ path, method: 'GET' });
}

function base(env: HttpEnv, perform: (p: HttpClient, op: OpContext) => Promise<Outcome>): Driver<HttpClient> {
  return { open: () => pool(env), perform, close: (p) => p.close() };
}

async function sendOne(p: HttpClient, t: TaskTemplate, op: OpContext): Promise<Outcome> {
  const envId = envelopeId(op.workerIndex, op.seq);
  const r = await post(p, t.request(op.seq, envId));
  if (r.status !== 200) return errorOutcome(`http_${r.status}`);
  return outcome(checkSendText(r.text, op.seq, envId, t.inputJson));
}

/** asap.send of one task.request whose input is about `bytes` of JSON; `skill` 'module.echo' goes through the module process. */
export function sendDriver(env: HttpEnv, opts: { bytes?: number; skill?: string } = {}): Driver<HttpClient> {
  const t = taskTemplate(inputOfSize(opts.bytes ?? 0), opts.skill ?? 'echo');
  return base(env, (p, op) => sendOne(p, t, op));
}

/** One HTTP request carrying a JSON-RPC batch of n asap.send calls. */
export function batchDriver(env: HttpEnv, n: number): Driver<HttpClient> {
  const t = taskTemplate(inputOfSize(0));
  return base(env, async (p, op) => {
    const prefix = envelopeId(op.workerIndex, op.seq);
    const rpcBase = op.seq * n;
    const r = await post(p, batchRequest(t, n, rpcBase, prefix));
    if (r.status !== 200) return errorOutcome(`http_${r.status}`);
    return outcome(checkBatchText(r.text, n, rpcBase, prefix, t.inputJson));
  });
}

async function manifest(p: HttpClient): Promise<Outcome> {
  const r = await get(p, MANIFEST_PATH);
  if (r.status !== 200) return errorOutcome(`http_${r.status}`);
  return outcome(checkManifestText(r.text));
}

async function metrics(p: HttpClient): Promise<Outcome> {
  const r = await get(p, METRICS_PATH);
  if (r.status !== 200) return errorOutcome(`http_${r.status}`);
  return outcome(checkMetricsText(r.text));
}

export const manifestDriver = (env: HttpEnv): Driver<HttpClient> => base(env, (p) => manifest(p));
export const metricsDriver = (env: HttpEnv): Driver<HttpClient> => base(env, (p) => metrics(p));

/**
 * The seed's mixed user: task requests : manifest : metrics = 10 : 2 : 1, chosen by op.seq so the
 * mix is exact over every 13 operations and identical from run to run.
 */
export function mixedDriver(env: HttpEnv): Driver<HttpClient> {
  const t = taskTemplate(inputOfSize(0));
  return base(env, (p, op) => {
    const k = op.seq % 13;
    if (k < 10) return sendOne(p, t, op);
    if (k < 12) return manifest(p);
    return metrics(p);
  });
}

/** The bare fastify route: GET `/` answers `{"hello":"world"}` and nothing else. */
export function baselineDriver(env: HttpEnv): Driver<HttpClient> {
  return base(env, async (p) => {
    const r = await get(p, '/');
    if (r.status !== 200) return errorOutcome(`http_${r.status}`);
    return outcome(checkBaselineText(r.text));
  });
}

/**
 * POST `/` on the bare fastify route with the very bytes sendDriver sends to `/asap` (same
 * template, same ids): fastify parses the JSON body, the route ignores it and answers a constant.
 * The floor for what asap.send adds on top of receiving and parsing the same request.
 */
export function postBaselineDriver(env: HttpEnv): Driver<HttpClient> {
  const t = taskTemplate(inputOfSize(0));
  return base(env, async (p, op) => {
    const r = await p.request({ path: '/', method: 'POST', headers: JSON_HEADERS, body: t.request(op.seq, envelopeId(op.workerIndex, op.seq)) });
    if (r.status !== 200) return errorOutcome(`http_${r.status}`);
    return outcome(checkBaselineText(r.text));
  });
}
