#!/usr/bin/env node
/**
 * The images' HEALTHCHECK: exit 0 when every address given (tcp://h:p, http://h:p, nats://h:p or
 * h:p) accepts a TCP connection within 2 s, else 1. Node only: the runtime image has no curl.
 *
 *   node /app/health.mjs "$WB_ZMQ_FRONTEND" "$WB_ZMQ_BACKEND"
 */
import { createConnection } from 'node:net';

const DEFAULT_PORTS = { http: 80, https: 443, nats: 4222 };

function hostPort(a) {
  const m = /^(?:([a-z][\w+.-]*):\/\/)?(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)(?::(\d+))?/i.exec(a.trim());
  if (!m) return null;
  const port = Number(m[3] ?? DEFAULT_PORTS[(m[1] ?? '').toLowerCase()]);
  // A server bound to every interface is reached on loopback.
  const host = m[2].replace(/^\[|\]$/g, '').replace(/^(0\.0\.0\.0|\*|::)$/, '127.0.0.1');
  return port ? { host, port } : null;
}

function open({ host, port }) {
  return new Promise((resolve) => {
    const s = createConnection({ host, port });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(2000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

const targets = process.argv.slice(2).filter(Boolean).map(hostPort);
if (targets.length === 0 || targets.some((t) => t === null)) {
  process.stderr.write(`health: no address to check in ${JSON.stringify(process.argv.slice(2))}\n`);
  process.exit(1);
}
const ok = await Promise.all(targets.map(open));
process.exit(ok.every(Boolean) ? 0 : 1);
