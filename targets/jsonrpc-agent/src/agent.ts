import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import { decompressBody, JSON_CONTENT_TYPE, sendDetail, sizeGuard } from './http/body.js';
import { RateLimited, registerRateLimit } from './http/rate-limit.js';
import { normalizeManifest, serializeManifest } from './manifest.js';
import { AgentMetrics, METRICS_CONTENT_TYPE } from './metrics.js';
import { NonceStore } from './nonce-store.js';
import { AgentError } from './errors.js';
import { resolveOptions } from './options.js';
import type { AgentOptions } from './options.js';
import { RpcProcessor } from './rpc.js';
import { stringifyRateLimited } from './rpc-serializers.js';

export const ASAP_PATH = '/asap';
export const MANIFEST_PATH = '/.well-known/asap/manifest.json';
export const METRICS_PATH = '/asap/metrics';

/**
 * Build the ASAP agent as a fastify 5 instance (not listening; call `listen` or `inject`).
 * Routes: POST /asap, GET /.well-known/asap/manifest.json, GET /asap/metrics.
 */
export function buildAgent(options: AgentOptions = {}): FastifyInstance {
  const o = resolveOptions(options);
  const manifest = normalizeManifest(o.manifest);
  if (manifest.auth !== null && o.tokenValidator === null) {
    throw new AgentError('WB_ERR_INVALID_OPTION', 'The manifest declares auth but no tokenValidator was given', undefined, {
      hint: 'Pass tokenValidator to buildAgent() (token → agent id or null).',
    });
  }
  const manifestJson = serializeManifest(manifest);
  const metrics = new AgentMetrics((t) => o.handlers.has(t));
  const processor = new RpcProcessor({
    manifest,
    handlers: o.handlers,
    metrics,
    hooks: o.hooks,
    handlerContext: { manifest, module: o.module },
    nonceStore: o.requireNonce ? new NonceStore({ ttlSeconds: o.nonceTtlSeconds, maxEntries: o.nonceMaxEntries }) : null,
    timestampWindow: o.timestampWindow,
    maxConcurrency: o.maxConcurrency,
    maxJsonDepth: o.maxJsonDepth,
    envelopeOptions: { strictUrns: o.strictUrns, strictIds: o.strictIds },
    tokenValidator: o.tokenValidator,
    debug: o.debug,
  });

  const app = Fastify({ logger: o.logger ?? false, bodyLimit: o.maxRequestSize });

  // The body is parsed by the JSON-RPC layer whatever the Content-Type (as the original does), so
  // that bad JSON becomes a -32700 reply with HTTP 200 instead of fastify's 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', sizeGuard(o.maxRequestSize));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof RateLimited) {
      reply
        .code(429)
        .header('content-type', JSON_CONTENT_TYPE)
        .send(
          stringifyRateLimited({
            jsonrpc: '2.0',
            id: null,
            error: { code: 429, message: 'Rate limit exceeded', data: { retry_after: err.retryAfter, limit: err.limit } },
          }),
        );
      return;
    }
    const compressed = req.headers['content-encoding'] !== undefined;
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const max = o.maxRequestSize;
      sendDetail(
        reply,
        413,
        compressed
          ? `Decompressed request size (more than ${max} bytes) exceeds maximum (${max} bytes)`
          : `Request size (more than ${max} bytes) exceeds maximum (${max} bytes)`,
      );
      return;
    }
    if (typeof err.code === 'string' && err.code.startsWith('Z_')) {
      sendDetail(reply, 400, `Invalid compressed data: ${err.message}`);
      return;
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500;
    sendDetail(reply, status, status >= 500 ? 'Internal Server Error' : err.message);
  });

  app.register(async (scope) => {
    if (o.rateLimit !== false) await registerRateLimit(scope, o.rateLimit);

    scope.get(MANIFEST_PATH, (_req, reply) => {
      reply.header('content-type', JSON_CONTENT_TYPE).send(manifestJson);
    });

    scope.get(METRICS_PATH, async (_req, reply) => {
      const text = await metrics.text();
      reply.header('content-type', METRICS_CONTENT_TYPE);
      return text;
    });

    scope.post(
      ASAP_PATH,
      {
        preParsing: decompressBody,
        config: o.rateLimit === false ? {} : { rateLimit: { max: o.rateLimit.max, timeWindow: o.rateLimit.timeWindow } },
      },
      async (req, reply) => {
        const r = await processor.handleBody(req.body as Buffer | undefined, req.headers.authorization);
        if (r.body === null) {
          reply.code(204);
          return reply.send();
        }
        reply.code(r.status).header('content-type', JSON_CONTENT_TYPE);
        return r.body;
      },
    );
  });

  return app;
}
