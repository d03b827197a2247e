#!/usr/bin/env node
/**
 * Builds the targets' images with podman or docker, tagged with the git commit (and `latest`):
 *
 *   node docker/images.mjs build [package…]    e.g. zmq-bridge; none: every image
 *   node docker/images.mjs list                 image names, one a line
 *
 * The Nx `docker-build` target of each target package runs `build <its package>`.
 * WIREBENCH_CONTAINER_ENGINE picks the engine (default: podman, else docker).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every image: the target package it packs, its Dockerfile and the stage it ends in. */
export const IMAGES = [
  { name: 'zmq-bridge-broker', pkg: 'zmq-bridge', dockerfile: 'docker/zmq-bridge/Dockerfile', target: 'broker' },
  { name: 'zmq-bridge-worker', pkg: 'zmq-bridge', dockerfile: 'docker/zmq-bridge/Dockerfile', target: 'worker' },
  { name: 'grpc-pool', pkg: 'grpc-pool', dockerfile: 'docker/grpc-pool/Dockerfile' },
  { name: 'jsonrpc-agent', pkg: 'jsonrpc-agent', dockerfile: 'docker/jsonrpc-agent/Dockerfile', target: 'agent' },
  { name: 'jsonrpc-baseline', pkg: 'jsonrpc-agent', dockerfile: 'docker/jsonrpc-agent/Dockerfile', target: 'baseline' },
  { name: 'nats-bus', pkg: 'nats-bus', dockerfile: 'docker/nats-bus/Dockerfile' },
];

function engine() {
  if (process.env.WIREBENCH_CONTAINER_ENGINE) return process.env.WIREBENCH_CONTAINER_ENGINE;
  for (const e of ['podman', 'docker']) if (spawnSync(e, ['--version'], { stdio: 'ignore' }).status === 0) return e;
  throw new Error('no podman or docker on PATH');
}

function commit() {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'targets', 'docker'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha}-dirty` : sha;
  } catch {
    return 'nogit';
  }
}

export function buildImage(img, opts = {}) {
  const e = opts.engine ?? engine();
  const tag = opts.tag ?? commit();
  const args = ['build', '-f', img.dockerfile, ...(img.target ? ['--target', img.target] : []), '-t', `wirebench/${img.name}:${tag}`, '-t', `wirebench/${img.name}:latest`];
  // podman: local base images only (no registry pull), host network for npm, docker format keeps HEALTHCHECK.
  if (e.endsWith('podman')) args.push('--pull=never', '--network', 'host', '--format', 'docker');
  args.push('.');
  const t0 = Date.now();
  const r = spawnSync(e, args, { cwd: root, stdio: opts.quiet ? 'pipe' : 'inherit', encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${e} ${args.join(' ')} failed (exit ${r.status})${opts.quiet ? `:\n${String(r.stderr).split('\n').slice(-15).join('\n')}` : ''}`);
  const size = Number(execFileSync(e, ['image', 'inspect', '-f', '{{.Size}}', `wirebench/${img.name}:${tag}`], { encoding: 'utf8' }).trim());
  return { image: `wirebench/${img.name}:${tag}`, seconds: Math.round((Date.now() - t0) / 100) / 10, sizeMb: Math.round(size / 1048576) };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [cmd, ...names] = process.argv.slice(2);
  if (cmd === 'list') {
    for (const i of IMAGES) process.stdout.write(`wirebench/${i.name}\n`);
  } else if (cmd === 'build') {
    const unknown = names.filter((n) => !IMAGES.some((i) => i.pkg === n || i.name === n));
    if (unknown.length) {
      process.stderr.write(`images: no image for ${unknown.join(', ')}; packages: ${[...new Set(IMAGES.map((i) => i.pkg))].join(', ')}\n`);
      process.exit(2);
    }
    const chosen = names.length ? IMAGES.filter((i) => names.includes(i.pkg) || names.includes(i.name)) : IMAGES;
    for (const img of chosen) {
      const r = buildImage(img);
      process.stdout.write(`built ${r.image}: ${r.sizeMb} MB in ${r.seconds} s\n`);
    }
  } else {
    process.stderr.write('usage: node docker/images.mjs build [package…] | list\n');
    process.exit(2);
  }
}
