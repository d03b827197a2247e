/**
 * `bench --containers` without a compose tool that can run the compose file: its services started with
 * `<engine> run` straight from docker/compose.yaml (and the override files), for a machine whose only
 * compose is Debian 12's podman-compose 1.0.3. That one gives every container `--net <project>_default
 * --network-alias <service>` besides `network_mode: host` (container_to_args always appends
 * get_net_args, and assert_cnt_nets creates that bridge network first), which podman refuses ("cannot
 * set multiple networks without bridge network mode") and no compose shape avoids; it also drops
 * `cpuset` and knows no profiles. compose.yaml stays the product: docker compose and podman-compose ≥ 1.1
 * run it as it is, and this reads the same file.
 *
 * Only the keys the compose file uses are translated; any other key is an error rather than silently
 * dropped (a budget that is not applied would make a run look reproducible when it is not).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { WbError } from '../errors.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Service = Record<string, Json>;
export interface ComposeModel {
  /** Folder of the first file: relative build contexts are read from it. */
  dir: string;
  services: Record<string, Service>;
}

/** Compose interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, $VAR, $$ for a literal $. */
export function interpolate(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, dollar: string, name?: string, op?: string, arg?: string, bare?: string) => {
    if (dollar === '$') return '$';
    const key = name ?? bare ?? '';
    const value = env[key];
    const unset = op?.startsWith(':') ? !value : value === undefined;
    if (op?.endsWith('-')) return unset ? (arg ?? '') : (value ?? '');
    if (op?.endsWith('?') && unset) throw new WbError('WB_ERR_INVALID_OPTION', `compose: ${key} is required: ${arg ?? ''}`);
    return value ?? '';
  });
}

function isMap(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Compose's merge of an override file: mappings merge key by key, anything else is replaced. */
function merge(a: Json | undefined, b: Json): Json {
  if (!isMap(a) || !isMap(b)) return b;
  const out: { [k: string]: Json } = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
  return out;
}

function deepInterpolate(v: Json, env: NodeJS.ProcessEnv): Json {
  if (typeof v === 'string') return interpolate(v, env);
  if (Array.isArray(v)) return v.map((x) => deepInterpolate(x, env));
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepInterpolate(x, env)]));
  return v;
}

export function loadCompose(files: string[], env: NodeJS.ProcessEnv = process.env): ComposeModel {
  let doc: Json = {};
  for (const f of files) {
    // merge: true — the file's services share their budget through YAML merge keys (<<: *target).
    const part = parse(readFileSync(f, 'utf8'), { merge: true }) as Json;
    doc = merge(doc, deepInterpolate(part ?? {}, env));
  }
  const services = isMap(doc) && isMap(doc.services) ? (doc.services as Record<string, Service>) : {};
  return { dir: path.dirname(files[0] ?? '.'), services };
}

const list = (v: Json | undefined): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Seconds in podman's/docker's terms from a compose duration ("10s", "1m30s", "500ms"). */
export function durationSeconds(v: Json | undefined): number {
  const s = String(v ?? '0');
  let total = 0;
  for (const [, n, u] of s.matchAll(/([\d.]+)(ms|us|h|m|s)?/g)) total += Number(n) * ({ h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6 }[u ?? 's'] ?? 1);
  return total;
}

/** Keys with no effect on a container started by name here (profiles: services are picked by name; build: see ensureImage). */
const IGNORED = new Set(['profiles', 'build', 'depends_on']);

/**
 * podman's `default_ulimits` (containers.conf, the later file winning). One `--ulimit` replaces that
 * whole list and podman then asks for its own default of the others (nproc 1048576), which a host
 * without CAP_SYS_RESOURCE refuses (runc: "error setting rlimit type 6"); so the limits a service does
 * not set are passed as the engine would have applied them.
 */
export function podmanDefaultUlimits(): string[] {
  const files = ['/usr/share/containers/containers.conf', '/etc/containers/containers.conf'];
  const dropIns = '/etc/containers/containers.conf.d';
  if (existsSync(dropIns)) files.push(...readdirSync(dropIns).filter((f) => f.endsWith('.conf')).sort().map((f) => path.join(dropIns, f)));
  let found: string[] = [];
  for (const f of files) {
    if (!existsSync(f)) continue;
    const m = /^\s*default_ulimits\s*=\s*\[([^\]]*)\]/m.exec(readFileSync(f, 'utf8'));
    if (m) found = [...(m[1] ?? '').matchAll(/"([^"]+)"/g)].map((x) => x[1] ?? '').filter(Boolean);
  }
  return found;
}

/** Compose keys that are one `<engine> run` flag with the value as it is. */
const FLAGS: Record<string, string> = {
  container_name: '--name',
  network_mode: '--network',
  stop_signal: '--stop-signal',
  cpuset: '--cpuset-cpus',
  cpus: '--cpus',
  mem_limit: '--memory',
  memswap_limit: '--memory-swap',
  restart: '--restart',
  user: '--user',
  working_dir: '--workdir',
};

/** The `<engine> run -d` arguments for one service: every key the compose file uses, or an error naming the one it cannot take. */
export function runArgs(name: string, s: Service, opts: { healthTimer: boolean; defaultUlimits?: string[]; podman?: boolean }): string[] {
  const a = ['run', '-d'];
  const unknown: string[] = [];
  let cmd: string[] = [];
  for (const [k, v] of Object.entries(s)) {
    if (IGNORED.has(k) || k === 'image') continue;
    const flag = FLAGS[k];
    if (flag) {
      a.push(flag, String(v));
      continue;
    }
    switch (k) {
      case 'init':
        if (v) a.push('--init');
        break;
      case 'stop_grace_period':
        a.push('--stop-timeout', String(Math.ceil(durationSeconds(v))));
        break;
      case 'ulimits': {
        const given = isMap(v) ? v : {};
        for (const [u, lim] of Object.entries(given)) a.push('--ulimit', isMap(lim) ? `${u}=${String(lim.soft)}:${String(lim.hard)}` : `${u}=${String(lim)}:${String(lim)}`);
        for (const d of opts.defaultUlimits ?? []) if (!((d.split('=')[0] ?? '') in given)) a.push('--ulimit', d);
        break;
      }
      case 'environment':
        for (const e of isMap(v) ? Object.entries(v).map(([ek, ev]) => (ev === null ? ek : `${ek}=${String(ev)}`)) : list(v)) a.push('-e', e);
        break;
      case 'tmpfs':
        // podman 4.3 drops a tmpfs's mode= where the image declares the path a VOLUME (nats-bus's /data
        // came up 755 root, its user could not create the database): U hands it to the container's user.
        for (const t of list(v)) a.push('--tmpfs', opts.podman && /[:,]mode=/.test(t) ? `${t},U` : t);
        break;
      case 'entrypoint':
        a.push('--entrypoint', Array.isArray(v) ? JSON.stringify(v) : String(v));
        break;
      case 'command':
        cmd = Array.isArray(v) ? v.map(String) : ['sh', '-c', String(v)];
        break;
      case 'healthcheck':
        a.push(...healthArgs(isMap(v) ? v : {}, opts.healthTimer));
        break;
      default:
        unknown.push(k);
    }
  }
  if (unknown.length) throw new WbError('WB_ERR_INVALID_OPTION', `compose service ${name}: ${unknown.join(', ')} not supported by the built-in runner (use docker compose or podman-compose ≥ 1.1)`);
  if (typeof s.image !== 'string') throw new WbError('WB_ERR_INVALID_OPTION', `compose service ${name} names no image`);
  return [...a, s.image, ...cmd];
}

function healthArgs(h: { [k: string]: Json }, timer: boolean): string[] {
  if (h.disable === true) return ['--no-healthcheck'];
  const a: string[] = [];
  const test = h.test;
  if (Array.isArray(test)) {
    const [kind, ...rest] = test.map(String);
    if (kind === 'NONE') return ['--no-healthcheck'];
    // CMD-SHELL's one string runs under /bin/sh; CMD's words as they are (JSON form keeps them apart).
    if (kind === 'CMD-SHELL') a.push('--health-cmd', rest.join(' '));
    else a.push('--health-cmd', JSON.stringify(rest));
  } else if (typeof test === 'string') a.push('--health-cmd', test);
  // Without systemd podman cannot arm the health timer (it logs an error each start): the kit polls
  // `healthcheck run` itself, so the timer is turned off there and the check kept.
  if (!timer) a.push('--health-interval', 'disable');
  else if (h.interval !== undefined) a.push('--health-interval', `${durationSeconds(h.interval)}s`);
  if (h.timeout !== undefined) a.push('--health-timeout', `${durationSeconds(h.timeout)}s`);
  if (h.retries !== undefined) a.push('--health-retries', String(h.retries));
  if (h.start_period !== undefined) a.push('--health-start-period', `${durationSeconds(h.start_period)}s`);
  return a;
}

/** The services asked for and what they depend on, dependencies first (compose's start order). */
export function startOrder(model: ComposeModel, wanted: string[]): string[] {
  const out: string[] = [];
  const visit = (n: string, seen: string[]): void => {
    if (out.includes(n)) return;
    if (seen.includes(n)) throw new WbError('WB_ERR_INVALID_OPTION', `compose: depends_on cycle ${[...seen, n].join(' → ')}`);
    const s = model.services[n];
    if (!s) throw new WbError('WB_ERR_INVALID_OPTION', `compose: no service ${n}`);
    const deps = isMap(s.depends_on) ? Object.keys(s.depends_on) : list(s.depends_on);
    for (const d of deps) visit(d, [...seen, n]);
    out.push(n);
  };
  for (const w of wanted) visit(w, []);
  return out;
}

function sh(engine: string, args: string[], timeout = 120_000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(engine, args, { encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/**
 * What to do when a build started here fails, for a Dockerfile whose node-gyp stage takes Node's headers
 * from a `node-headers` stage: that builds only on a base image carrying them (the official one), and
 * docker/images.mjs supplies them otherwise (this machine's stand-in). Null for other Dockerfiles.
 */
export function buildFailureHint(dockerfile: string): string | null {
  if (!existsSync(dockerfile) || !/^FROM\s+\S+\s+AS\s+node-headers\s*$/im.test(readFileSync(dockerfile, 'utf8'))) return null;
  return `build the images first with node docker/images.mjs build: ${path.basename(path.dirname(dockerfile))}/${path.basename(dockerfile)} takes Node's headers from its node-headers stage, which a base image without them cannot give, and images.mjs supplies them`;
}

/** An image missing locally is built from the service's `build` (as `compose up` does); an existing one is used as it is. */
function ensureImage(engine: string, model: ComposeModel, name: string, s: Service): void {
  const image = String(s.image);
  if (sh(engine, ['image', 'inspect', image]).status === 0) return;
  const b = s.build;
  if (b === undefined) throw new WbError('WB_ERR_TARGET_START', `compose service ${name}: image ${image} is not here and has no build (node docker/images.mjs build)`);
  const spec = isMap(b) ? b : { context: String(b) };
  const context = path.resolve(model.dir, String(spec.context ?? '.'));
  const args = ['build', '-t', image, ...(spec.dockerfile ? ['-f', path.resolve(context, String(spec.dockerfile))] : []), ...(spec.target ? ['--target', String(spec.target)] : [])];
  // podman here: local base images only, host network for package installs, docker format keeps HEALTHCHECK.
  if (engine.endsWith('podman')) args.push('--pull=never', '--network', 'host', '--format', 'docker');
  const r = sh(engine, [...args, context], 1_800_000);
  if (r.status !== 0) {
    const hint = buildFailureHint(path.resolve(context, String(spec.dockerfile ?? 'Dockerfile')));
    throw new WbError('WB_ERR_TARGET_START', `${engine} ${args.join(' ')} ${context} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`, hint ? { hint } : undefined);
  }
}

/**
 * Starts the services (dependencies first) with `<engine> run -d`. Each container's name goes into
 * `names` before it is started, so that a caller removing `names` also removes a dependency it did
 * not ask for and one whose start failed half-way.
 */
export function runServices(engine: string, files: string[], wanted: string[], names: string[], env: NodeJS.ProcessEnv = process.env): void {
  const model = loadCompose(files, env);
  const podman = engine.endsWith('podman');
  const healthTimer = !podman || existsSync('/run/systemd/system');
  const defaultUlimits = podman ? podmanDefaultUlimits() : [];
  for (const n of startOrder(model, wanted)) {
    const s = model.services[n] as Service;
    ensureImage(engine, model, n, s);
    const args = runArgs(n, s, { healthTimer, defaultUlimits, podman });
    const cname = typeof s.container_name === 'string' ? s.container_name : n;
    if (!names.includes(cname)) names.push(cname);
    const r = sh(engine, args);
    if (r.status !== 0) throw new WbError('WB_ERR_TARGET_START', `${engine} ${args.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
}
