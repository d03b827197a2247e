/**
 * `npm run test:containers`: builds every image (podman, else docker), runs each on loopback with
 * --init, waits for its HEALTHCHECK, checks it answers, stops it with SIGTERM and expects exit 0 (a
 * drain, not a kill); then a compose profile up and down. Heavy (minutes): not part of `npm test`.
 * Every container is removed by name whatever happens. Prints each image's size and build time.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMAGES, buildImage } from './images.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENGINE = process.env.WIREBENCH_CONTAINER_ENGINE ?? (spawnSync('podman', ['--version']).status === 0 ? 'podman' : 'docker');
const PREFIX = `wbtest-${process.pid}`;
const names = new Set();

function eng(args, opts = {}) {
  const r = spawnSync(ENGINE, args, { encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000 });
  if (!opts.allowFail && r.status !== 0) throw new Error(`${ENGINE} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

function cleanup() {
  // podman 4.3's `rm -f a b` removes nothing (and exits 0) when b does not exist: --ignore makes it remove a.
  if (names.size) spawnSync(ENGINE, [...(ENGINE === 'podman' ? ['rm', '-f', '--ignore', '-t', '0'] : ['rm', '-f']), ...names], { stdio: 'ignore' });
}
after(cleanup);
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(name, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = ENGINE === 'podman'
      ? eng(['healthcheck', 'run', name], { allowFail: true })
      : eng(['inspect', '-f', '{{.State.Health.Status}}', name], { allowFail: true });
    if (r.status === 0 && (ENGINE === 'podman' || r.stdout.trim() === 'healthy')) return;
    const running = eng(['inspect', '-f', '{{.State.Running}}', name], { allowFail: true }).stdout.trim();
    if (running !== 'true') throw new Error(`${name} exited before it was healthy:\n${eng(['logs', name], { allowFail: true }).stderr}${eng(['logs', name], { allowFail: true }).stdout}`);
    if (Date.now() > deadline) throw new Error(`${name} not healthy within ${timeoutMs} ms`);
    await sleep(500);
  }
}

function run(name, image, env, extra = []) {
  const full = `${PREFIX}-${name}`;
  names.add(full);
  const args = ['run', '-d', '--name', full, '--network', 'host', '--init', '--cpus', '1', '--memory', '512m', ...extra];
  if (ENGINE === 'podman') args.push('--health-interval', 'disable');
  for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`);
  eng([...args, image]);
  return full;
}

/** SIGTERM, then the exit code: 0 is a drain; 137 would be the SIGKILL after the grace period. */
function gracefulStop(name) {
  const t0 = Date.now();
  eng(['stop', '-t', '10', name], { timeoutMs: 30_000 });
  const code = Number(eng(['inspect', '-f', '{{.State.ExitCode}}', name]).stdout.trim());
  return { code, ms: Date.now() - t0 };
}

const built = new Map();

test('every image builds', { timeout: 3_600_000 }, () => {
  // nats-bus compiles better-sqlite3: images.mjs supplies Node's headers where the base image lacks them.
  for (const img of IMAGES) {
    const r = buildImage(img, { engine: ENGINE, tag: 'test', quiet: true });
    built.set(img.name, r);
    process.stdout.write(`# built ${r.image}: ${r.sizeMb} MB in ${r.seconds} s\n`);
    assert.ok(r.sizeMb > 0);
  }
});

const img = (n) => `wirebench/${n}:test`;

test('jsonrpc-agent and its baseline: healthy, answer, drain on SIGTERM', async () => {
  const [pa, pb] = [await freePort(), await freePort()];
  const agent = run('agent', img('jsonrpc-agent'), { HOST: '127.0.0.1', PORT: String(pa), ASAP_RATE_LIMIT: 'off' });
  const base = run('baseline', img('jsonrpc-baseline'), { HOST: '127.0.0.1', PORT: String(pb) });
  await waitHealthy(agent);
  await waitHealthy(base);
  assert.deepEqual(await (await fetch(`http://127.0.0.1:${pb}/`)).json(), { hello: 'world' });
  const rpc = await fetch(`http://127.0.0.1:${pa}/asap`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.ok(rpc.status < 500, `the agent answers (${rpc.status})`);
  const user = eng(['exec', agent, 'id', '-u']).stdout.trim();
  assert.notEqual(user, '0', 'not root');
  for (const c of [agent, base]) assert.equal(gracefulStop(c).code, 0, `${c} exits 0 on SIGTERM`);
});

test('zmq-bridge broker and worker: healthy, the worker registers, both drain on SIGTERM', async () => {
  const [fe, be] = [await freePort(), await freePort()];
  const broker = run('broker', img('zmq-bridge-broker'), { WB_ZMQ_FRONTEND: `tcp://127.0.0.1:${fe}`, WB_ZMQ_BACKEND: `tcp://127.0.0.1:${be}` });
  await waitHealthy(broker);
  const worker = run('worker', img('zmq-bridge-worker'), { WB_ZMQ_ENDPOINT: `tcp://127.0.0.1:${be}`, WB_ZMQ_SERVER_ID: 'w1' });
  await waitHealthy(worker);
  for (let i = 0; i < 100 && !/READY worker/.test(eng(['logs', worker]).stdout); i++) await sleep(100);
  assert.match(eng(['logs', worker]).stdout, /READY worker/, 'the broker heartbeated the worker (native zeromq loads)');
  assert.equal(gracefulStop(worker).code, 0);
  assert.equal(gracefulStop(broker).code, 0);
});

test('grpc-pool: its bundled workers start, healthy, drains on SIGTERM', async () => {
  const port = await freePort();
  const pool = run('pool', img('grpc-pool'), { WB_GRPC_HOST: '127.0.0.1', WB_GRPC_PORT: String(port), WB_GRPC_SIZE: '2' });
  await waitHealthy(pool, 120_000);
  // The front port opens before the workers are up: READY says they are.
  for (let i = 0; i < 240 && !/READY pool/.test(eng(['logs', pool]).stdout); i++) await sleep(250);
  assert.match(eng(['logs', pool]).stdout, /READY pool/);
  assert.equal(gracefulStop(pool).code, 0);
});

test('nats-bus: connects to nats-server, commits to SQLite (native better-sqlite3), drains on SIGTERM', async () => {
  const [port, mon] = [await freePort(), await freePort()];
  // The official nats image where it can be pulled; here the Debian stand-in (docker/nats-debian).
  const official = eng(['image', 'exists', 'nats:2.10-alpine'], { allowFail: true }).status === 0;
  if (!official) eng(['build', ...(ENGINE === 'podman' ? ['--pull=never', '--network', 'host', '--format', 'docker'] : []), '-t', 'wirebench/nats-debian:latest', path.join(root, 'docker', 'nats-debian')], { timeoutMs: 600_000 });
  const natsName = `${PREFIX}-nats`;
  names.add(natsName);
  eng(['run', '-d', '--name', natsName, '--network', 'host', '--init', ...(ENGINE === 'podman' ? ['--health-interval', 'disable'] : []), official ? 'nats:2.10-alpine' : 'wirebench/nats-debian:latest', '-js', '-a', '127.0.0.1', '-p', String(port), '-m', String(mon), '-sd', '/tmp/js']);
  for (let i = 0; i < 100; i++) {
    if (await fetch(`http://127.0.0.1:${mon}/healthz`).then((r) => r.ok, () => false)) break;
    await sleep(100);
  }
  const svc = run('nats-bus', img('nats-bus'), { NATS_URL: `nats://127.0.0.1:${port}` });
  await waitHealthy(svc);
  for (let i = 0; i < 100 && !/READY nats-bus/.test(eng(['logs', svc]).stdout); i++) await sleep(100);
  assert.match(eng(['logs', svc]).stdout, /READY nats-bus core each/);
  assert.equal(gracefulStop(svc).code, 0, eng(['logs', svc]).stderr);
  gracefulStop(natsName);
});

/**
 * Through the kit's --containers path (docker compose, podman-compose ≥ 1.1, or — Debian 12's
 * podman-compose 1.0 cannot run host-network services — its own `podman run` from compose.yaml), so
 * the budget compose.yaml sets is checked on the containers as they run.
 */
test('compose: a suite profile comes up healthy on its budget and goes down with no container left', async () => {
  process.env.WB_IMAGE_TAG = 'test';
  const { composeUp } = await import('../tools/kit/src/cli/compose.ts');
  for (const n of ['wb-jsonrpc-agent', 'wb-jsonrpc-baseline']) names.add(n);
  const stack = await composeUp('jsonrpc-agent', root, new Map());
  try {
    assert.deepEqual(await (await fetch('http://127.0.0.1:8001/')).json(), { hello: 'world' });
    const hc = (f) => eng(['inspect', '-f', f, 'wb-jsonrpc-agent']).stdout.trim();
    assert.equal(hc('{{.HostConfig.NetworkMode}}'), 'host');
    assert.equal(hc('{{.HostConfig.CpusetCpus}}'), '1');
    assert.equal(hc('{{.HostConfig.NanoCpus}}'), '1000000000');
    assert.equal(hc('{{.HostConfig.Memory}}'), String(512 * 1024 * 1024));
    assert.match(hc('{{json .HostConfig.Ulimits}}'), /"Name":"RLIMIT_NOFILE","Soft":16384,"Hard":16384/);
    assert.match(hc('{{.Config.Image}}'), /wirebench\/jsonrpc-agent:test$/);
  } finally {
    await stack.down();
  }
  const left = eng(['ps', '-a', '--format', '{{.Names}}']).stdout.split('\n').filter((n) => n.startsWith('wb-jsonrpc'));
  assert.deepEqual(left, [], 'down left no container');
});

/**
 * `wirebench bench jsonrpc-agent --containers --smoke --scenario soak` into a temporary results
 * folder, resolved once its agent container is up and the scenario is measuring (health, set-up and
 * warm-up done). The caller interrupts or breaks it, then reads `run()` (its result) and `left()`.
 */
async function benchOnContainers(runId, soakMinutes) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wb-containers-'));
  for (const n of ['wb-jsonrpc-agent', 'wb-jsonrpc-baseline']) names.add(n);
  const bench = spawn(process.execPath, [path.join(root, 'tools', 'kit', 'bin', 'wirebench.js'), 'bench', 'jsonrpc-agent', '--containers', '--smoke', '--scenario', 'soak', '--set', `soakMinutes=${soakMinutes}`, '--results', dir, '--run-id', runId], { cwd: root, env: { ...process.env, WB_IMAGE_TAG: 'test', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  bench.stderr.on('data', (d) => (err += d));
  const exited = new Promise((r) => bench.on('exit', (code) => r(code)));
  for (let i = 0; i < 600 && !eng(['ps', '--format', '{{.Names}}'], { allowFail: true }).stdout.includes('wb-jsonrpc-agent'); i++) await sleep(500);
  // Health, then the scenario's set-up and warm-up: by then it measures.
  await sleep(15_000);
  return {
    bench,
    dir,
    exited,
    err: () => err,
    left: () => eng(['ps', '-a', '--format', '{{.Names}}']).stdout.split('\n').filter((n) => n.startsWith('wb-jsonrpc')),
    run: () => {
      const runDir = path.join(dir, 'runs', 'jsonrpc-agent', runId);
      return JSON.parse(readFileSync(path.join(runDir, readdirSync(runDir)[0]), 'utf8'));
    },
  };
}

test('bench --containers: the profile comes up, the suite runs against it, and Ctrl-C leaves no container behind', async () => {
  const b = await benchOnContainers('c', 2);
  try {
    b.bench.kill('SIGINT');
    assert.equal(await b.exited, 130, b.err());
    assert.deepEqual(b.left(), [], 'no container left after Ctrl-C');
    const r = b.run();
    assert.equal(r.interrupted, true);
    assert.ok(r.notes.some((n) => n.includes('target agent: remote http://127.0.0.1:8000 (container wb-jsonrpc-agent)')), r.notes.join(' | '));
  } finally {
    rmSync(b.dir, { recursive: true, force: true });
  }
});

test('bench --containers: a container killed under load is a target exit (the run invalid), and none is left', async () => {
  const b = await benchOnContainers('k', 0.5);
  try {
    eng(['kill', '--signal', 'KILL', 'wb-jsonrpc-agent']);
    assert.equal(await b.exited, 1, `an invalid run exits 1\n${b.err()}`);
    assert.deepEqual(b.left(), [], 'no container left');
    const r = b.run();
    assert.equal(r.valid, false);
    assert.ok(r.invalidReasons.some((x) => /WB_ERR_TARGET_EXIT: target agent .*killed by SIGKILL/.test(x)), r.invalidReasons.join(' | '));
  } finally {
    rmSync(b.dir, { recursive: true, force: true });
  }
});
