/**
 * The container files hold together: every image has a compose service with a fixed budget and a
 * health check, every Dockerfile is multi-stage, non-root and health-checked, the suites' container
 * plans name real services, and the Kubernetes manifests pair each Deployment with its Service and
 * run the generators as an Indexed Job whose completion index is the shard. Parsed with `yaml`
 * (installed with nx); nothing is built or run here (`npm run test:containers` does that).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const docker = path.join(root, 'docker');
const read = (f: string): string => readFileSync(path.join(docker, f), 'utf8');

type Service = Record<string, any>;
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const sandbox = parse(read('compose.sandbox.yaml'), { merge: true }) as { services: Record<string, Service> };
const images = (await import(path.join(docker, 'images.mjs'))) as { IMAGES: Array<{ name: string; pkg: string; dockerfile: string; target?: string }> };

test('every image is a compose service with a fixed resource budget, a health check and a suite profile', () => {
  for (const img of images.IMAGES) {
    const svc = Object.values(compose.services).find((s) => String(s.image).startsWith(`wirebench/${img.name}:`));
    assert.ok(svc, `no service runs wirebench/${img.name}`);
    assert.equal(svc.build?.dockerfile, img.dockerfile, `${img.name}: built from its Dockerfile`);
    assert.equal(svc.build?.target, img.target, `${img.name}: built to its stage`);
  }
  for (const [name, s] of Object.entries(compose.services)) {
    for (const key of ['cpuset', 'cpus', 'mem_limit', 'ulimits', 'healthcheck', 'container_name']) assert.ok(s[key] !== undefined, `${name} has ${key}`);
    assert.ok(Array.isArray(s.healthcheck.test) && s.healthcheck.test.length > 1, `${name}: a health check test`);
    assert.equal(s.init, true, `${name}: an init forwards SIGTERM`);
    assert.equal(s.network_mode, 'host', `${name}: loopback, no NAT in the latencies`);
    assert.ok(Array.isArray(s.profiles) && s.profiles.length === 1, `${name}: one suite profile`);
  }
  const nats = compose.services.nats!;
  assert.match(String(nats.image), /^nats:/, 'nats-server from the official image');
  assert.ok((nats.command as string[]).includes('-js'), 'with JetStream');
  // The machine's override swaps nats' image only; the product's compose file names no stand-in.
  assert.deepEqual(Object.keys(sandbox.services), ['nats']);
  assert.doesNotMatch(read('compose.yaml'), /localhost\/|nats-debian|bookworm/);
});

test('every Dockerfile is multi-stage, runs as non-root on node:20-bookworm-slim, and has a HEALTHCHECK', () => {
  for (const file of new Set(images.IMAGES.map((i) => i.dockerfile))) {
    const text = readFileSync(path.join(root, file), 'utf8');
    assert.ok((text.match(/^FROM /gm) ?? []).length >= 2, `${file}: multi-stage`);
    assert.match(text, /^ARG NODE_IMAGE=node:20-bookworm-slim$/m, file);
    assert.match(text, /^USER node$/m, `${file}: non-root`);
    assert.match(text, /^HEALTHCHECK /m, file);
    assert.match(text, /docker\/stage\.sh bundle /, `${file}: bundles with esbuild (stage.sh → bundle.mjs)`);
    for (const i of images.IMAGES.filter((x) => x.dockerfile === file && x.target)) assert.match(text, new RegExp(`^FROM \\S+ AS ${i.target}$`, 'm'), `${file}: stage ${i.target}`);
  }
  assert.ok(existsSync(path.join(root, '.dockerignore')));
  assert.match(readFileSync(path.join(root, '.dockerignore'), 'utf8'), /node_modules/);
});

test('each suite\'s container plan names services of its own profile', () => {
  const plan = JSON.parse(read('targets.json')) as { suites: Record<string, { profile: string; roles: Record<string, { service: string; container: string; url: string }> }> };
  const suites = readdirSync(path.join(root, 'suites'));
  for (const [suite, p] of Object.entries(plan.suites)) {
    assert.ok(suites.includes(suite), `${suite} is a suite`);
    for (const [role, r] of Object.entries(p.roles)) {
      const svc = compose.services[r.service];
      assert.ok(svc, `${suite}/${role}: ${r.service} is a compose service`);
      assert.equal(svc.container_name, r.container, `${suite}/${role}: its container`);
      assert.deepEqual(svc.profiles, [p.profile], `${suite}/${role}: in profile ${p.profile}`);
    }
  }
});

test('Kubernetes: a Deployment and a Service per listening target, generators as an Indexed Job sharded by completion index', () => {
  const docs = ['targets.yaml', 'generator-job.yaml'].flatMap((f) => parseAllDocuments(read(path.join('k8s', f))).map((d) => {
    assert.deepEqual(d.errors, [], f);
    return d.toJS() as Record<string, any>;
  })).filter(Boolean);
  const deployments = docs.filter((d) => d.kind === 'Deployment');
  const services = docs.filter((d) => d.kind === 'Service');
  assert.ok(deployments.length >= images.IMAGES.length, 'a Deployment per image at least');
  for (const img of images.IMAGES) assert.ok(deployments.some((d) => String(d.spec.template.spec.containers[0].image).startsWith(`wirebench/${img.name}:`)), `${img.name} deployed`);
  for (const d of deployments) {
    const labels = d.spec.template.metadata.labels as Record<string, string>;
    for (const [k, v] of Object.entries(d.spec.selector.matchLabels as Record<string, string>)) assert.equal(labels[k], v, `${d.metadata.name}: selector matches its pods`);
    const c = d.spec.template.spec.containers[0];
    assert.deepEqual(c.resources.requests, c.resources.limits, `${d.metadata.name}: requests = limits (a fixed budget)`);
    assert.ok(c.readinessProbe, `${d.metadata.name}: readiness`);
    for (const p of c.ports ?? []) {
      const svc = services.find((s) => s.metadata.name === d.metadata.name);
      assert.ok(svc, `${d.metadata.name} listens: it has a Service`);
      assert.ok(svc.spec.ports.some((sp: { targetPort: string }) => sp.targetPort === p.name), `${d.metadata.name}: Service targets port ${p.name}`);
      for (const [k, v] of Object.entries(svc.spec.selector as Record<string, string>)) assert.equal(labels[k], v, `${svc.metadata.name}: Service selects the pods`);
    }
  }
  const job = docs.find((d) => d.kind === 'Job');
  assert.ok(job, 'a generator Job');
  assert.equal(job.spec.completionMode, 'Indexed');
  assert.equal(job.spec.parallelism, job.spec.completions, 'every shard at once');
  const g = job.spec.template.spec.containers[0];
  const env = Object.fromEntries((g.env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
  assert.equal(Number(env.SHARDS), job.spec.completions, 'N of --shard is the completion count');
  const cmd = (g.command as string[]).join(' ');
  assert.match(cmd, /--shard "\$JOB_COMPLETION_INDEX\/\$SHARDS"/);
  assert.match(cmd, /--start-at "\$START_AT"/);
  for (const m of cmd.matchAll(/--target \w+=\w+:\/\/([\w-]+):(\d+)/g)) {
    const svc = services.find((s) => s.metadata.name === m[1]);
    assert.ok(svc?.spec.ports.some((p: { port: number }) => p.port === Number(m[2])), `the Job reaches Service ${m[1]}:${m[2]}`);
  }
});
