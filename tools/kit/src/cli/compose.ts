/**
 * `bench --containers`: the suite's compose profile up (docker/compose.yaml), the run against its
 * containers (as --target/--container from docker/targets.json), and every container of the profile
 * removed afterwards by name — on success, failure, Ctrl-C, and at process exit if all else failed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WbError } from '../errors.js';
import { containerEngine, containerHealthy, containerRunning } from '../process/container.js';
import type { RemoteSpec } from '../process/processes.js';
import { sleep } from '../engine/clock.js';
import { runServices } from './compose-run.js';

/** docker/targets.json: per suite, its compose profile and the role → service/container/URL each scenario reads. */
export interface ContainerPlan {
  profile: string;
  roles: Record<string, { service: string; container: string; url: string }>;
}

export function containerPlan(root: string, suite: string): ContainerPlan {
  const file = path.join(root, 'docker', 'targets.json');
  if (!existsSync(file)) throw new WbError('WB_ERR_INVALID_OPTION', `--containers needs ${path.relative(process.cwd(), file)}`);
  const plans = JSON.parse(readFileSync(file, 'utf8')) as { suites?: Record<string, ContainerPlan> };
  const plan = plans.suites?.[suite];
  if (!plan) throw new WbError('WB_ERR_INVALID_OPTION', `docker/targets.json has no containers for suite ${suite}; it has: ${Object.keys(plans.suites ?? {}).join(', ')}`);
  return plan;
}

/**
 * What brings the services up: `docker compose` where it exists, else podman-compose 1.1 or newer, else
 * the kit's own `<engine> run` from the compose file (compose-run.ts: podman-compose 1.0, Debian 12's,
 * cannot run host-network services). WIREBENCH_COMPOSE overrides: "docker compose", "podman-compose",
 * or "run" for the built-in runner.
 */
export type ComposeTool = { kind: 'compose'; cmd: string[] } | { kind: 'run' };

export function composeTool(): ComposeTool {
  const asked = process.env.WIREBENCH_COMPOSE;
  if (asked === 'run') return { kind: 'run' };
  if (asked) return { kind: 'compose', cmd: asked.split(/\s+/).filter(Boolean) };
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return { kind: 'compose', cmd: ['docker', 'compose'] };
  const v = spawnSync('podman-compose', ['version'], { encoding: 'utf8' });
  const m = /podman-composer? version\s+(\d+)\.(\d+)/i.exec(`${v.stdout ?? ''}${v.stderr ?? ''}`);
  if (v.status === 0 && m && (Number(m[1]) > 1 || (Number(m[1]) === 1 && Number(m[2]) >= 1))) return { kind: 'compose', cmd: ['podman-compose'] };
  return { kind: 'run' };
}

/** The compose files: docker/compose.yaml, plus WIREBENCH_COMPOSE_OVERRIDE (colon-separated, e.g. this machine's stand-in nats). */
export function composeFiles(root: string): string[] {
  const extra = (process.env.WIREBENCH_COMPOSE_OVERRIDE ?? '').split(':').filter(Boolean).map((f) => path.resolve(root, f));
  return [path.join(root, 'docker', 'compose.yaml'), ...extra];
}

function removeByName(names: string[]): void {
  if (!names.length) return;
  const e = containerEngine();
  // podman 4.3's `rm -f a b` removes nothing (and exits 0) when b does not exist: --ignore makes it remove a.
  const rm = e.endsWith('podman') ? ['rm', '-f', '--ignore', '-t', '0'] : ['rm', '-f'];
  try {
    execFileSync(e, [...rm, ...names], { stdio: 'ignore', timeout: 60_000 });
  } catch {
    /* already gone */
  }
}

export async function composeUp(suite: string, root: string, given: ReadonlyMap<string, RemoteSpec>): Promise<{ remote: Map<string, RemoteSpec>; down(): Promise<void> }> {
  const plan = containerPlan(root, suite);
  const tool = composeTool();
  const files = composeFiles(root);
  const [cmd = '', ...pre] = tool.kind === 'compose' ? tool.cmd : [];
  // podman-compose knows profiles from 1.1 on, but naming the services works with every tool.
  const profiles = tool.kind === 'compose' && !cmd.endsWith('podman-compose') ? ['--profile', plan.profile] : [];
  const base = [...pre, ...files.flatMap((f) => ['-f', f]), ...profiles];
  const services = [...new Set(Object.values(plan.roles).map((r) => r.service))];
  const names = [...new Set(Object.values(plan.roles).map((r) => r.container))];
  // Whatever else happens, no container of ours outlives this process.
  const onExit = (): void => removeByName(names);
  process.on('exit', onExit);
  let downed = false;
  const down = async (): Promise<void> => {
    if (downed) return;
    downed = true;
    if (tool.kind === 'compose') spawnSync(cmd, [...base, 'down', '-t', '10', ...(profiles.length ? [] : services)], { stdio: 'ignore', timeout: 120_000 });
    // The built-in runner: SIGTERM first (the targets drain), then removal by name, as compose down does.
    else spawnSync(containerEngine(), ['stop', '-t', '10', ...names], { stdio: 'ignore', timeout: 120_000 });
    removeByName(names);
    process.off('exit', onExit);
  };
  try {
    removeByName(names); // leftovers of an earlier run would hold the names
    if (tool.kind === 'compose') {
      const upArgs = [...base, 'up', '-d', ...services];
      const up = spawnSync(cmd, upArgs, { encoding: 'utf8', timeout: 600_000 });
      if (up.status !== 0) throw new WbError('WB_ERR_TARGET_START', `${cmd} ${upArgs.join(' ')} exited ${up.status}: ${(up.stderr || up.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    } else {
      runServices(containerEngine(), files, services, names);
    }
    const deadline = Date.now() + 120_000;
    for (const name of names) {
      while (!((await containerRunning(name)) && (await containerHealthy(name)))) {
        if (Date.now() > deadline) throw new WbError('WB_ERR_TARGET_START', `container ${name} was not running and healthy within 120 s`);
        await sleep(250);
      }
    }
  } catch (err) {
    await down();
    throw err;
  }
  const remote = new Map<string, RemoteSpec>(Object.entries(plan.roles).map(([role, r]) => [role, { url: r.url, container: r.container }]));
  for (const [role, r] of given) remote.set(role, r);
  return { remote, down };
}
