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
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
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

/**
 * Built by name only (`node docker/images.mjs build generator`), not with the targets: the whole
 * workspace with its dependencies, for the Kubernetes Indexed Job of shards (k8s/generator-job.yaml).
 * Several minutes of npm ci inside the image, which CI's test:containers does not spend.
 */
export const GENERATOR = { name: 'generator', pkg: 'generator', dockerfile: 'docker/generator/Dockerfile' };

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

const headersChecked = new Map();

/**
 * `--build-context node-headers=<dir>` for a Dockerfile with a `node-headers` stage (one that compiles a
 * native addon with node-gyp), or nothing. The official node image carries Node's headers in
 * /usr/local/include/node and the stage is that image: nothing to add. A base image without them (this
 * machine's local stand-in for node:20-bookworm-slim, which is the host's node copied in) gets them from
 * the host's node, laid out like the image under a cache dir, if that node is the image's version; else
 * node-gyp would try nodejs.org, so this fails with the reason instead.
 */
export function nodeHeadersContext(e, dockerfile) {
  const file = path.join(root, dockerfile);
  const text = readFileSync(file, 'utf8');
  const stage = /^FROM\s+(\S+)\s+AS\s+node-headers\s*$/im.exec(text);
  if (!stage) return [];
  const argDefault = /^ARG\s+NODE_IMAGE=(\S+)/m.exec(text);
  const image = stage[1] === '${NODE_IMAGE}' && argDefault ? argDefault[1] : stage[1];
  if (!headersChecked.has(image)) headersChecked.set(image, headersFor(e, image));
  return headersChecked.get(image);
}

function headersFor(e, image) {
  const probe = spawnSync(e, ['run', '--rm', '--network', 'host', image, 'sh', '-c', 'test -f /usr/local/include/node/node.h && echo has-headers || node -p process.version'], { encoding: 'utf8' });
  const out = String(probe.stdout).trim();
  if (probe.status !== 0) throw new Error(`${e} run ${image} (checking for Node headers) exited ${probe.status}: ${probe.stderr}`);
  if (out === 'has-headers') return [];
  const hostHeaders = path.resolve(path.dirname(process.execPath), '..', 'include', 'node');
  if (out !== process.version || !existsSync(path.join(hostHeaders, 'node.h'))) {
    throw new Error(`${image} has no Node headers (/usr/local/include/node) and this host cannot supply them: image node ${out}, host node ${process.version}, ${hostHeaders}${existsSync(hostHeaders) ? '' : ' missing'}`);
  }
  // One copy per Node version, reused by later builds; made under a temporary name and renamed so an
  // interrupted copy is never taken for a whole one.
  const dir = path.join(os.tmpdir(), `wirebench-node-headers-${process.version}`);
  if (!existsSync(path.join(dir, 'usr', 'local', 'include', 'node', 'node.h'))) {
    const part = `${dir}.part-${process.pid}`;
    rmSync(part, { recursive: true, force: true });
    mkdirSync(path.join(part, 'usr', 'local', 'include'), { recursive: true });
    cpSync(hostHeaders, path.join(part, 'usr', 'local', 'include', 'node'), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(part, dir);
  }
  return ['--build-context', `node-headers=${dir}`];
}

export function buildImage(img, opts = {}) {
  const e = opts.engine ?? engine();
  const tag = opts.tag ?? commit();
  const args = ['build', '-f', img.dockerfile, ...(img.target ? ['--target', img.target] : []), '-t', `wirebench/${img.name}:${tag}`, '-t', `wirebench/${img.name}:latest`];
  // podman: local base images only (no registry pull), host network for npm, docker format keeps HEALTHCHECK.
  if (e.endsWith('podman')) args.push('--pull=never', '--network', 'host', '--format', 'docker');
  args.push(...nodeHeadersContext(e, img.dockerfile));
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
    const all = [...IMAGES, GENERATOR];
    const unknown = names.filter((n) => !all.some((i) => i.pkg === n || i.name === n));
    if (unknown.length) {
      process.stderr.write(`images: no image for ${unknown.join(', ')}; packages: ${[...new Set(all.map((i) => i.pkg))].join(', ')}\n`);
      process.exit(2);
    }
    const chosen = names.length ? all.filter((i) => names.includes(i.pkg) || names.includes(i.name)) : IMAGES;
    for (const img of chosen) {
      const r = buildImage(img);
      process.stdout.write(`built ${r.image}: ${r.sizeMb} MB in ${r.seconds} s\n`);
    }
  } else {
    process.stderr.write('usage: node docker/images.mjs build [package…] | list\n');
    process.exit(2);
  }
}
