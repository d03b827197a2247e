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

/** `docker compose` where it exists, else podman-compose; WIREBENCH_COMPOSE overrides ("podman-compose", "docker compose"). */
export function composeCommand(): string[] {
  const asked = process.env.WIREBENCH_COMPOSE;
  if (asked) return asked.split(/\s+/).filter(Boolean);
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  if (spawnSync('podman-compose', ['--version'], { stdio: 'ignore' }).status === 0) return ['podman-compose'];
  throw new WbError('WB_ERR_INVALID_OPTION', '--containers needs docker compose or podman-compose (set WIREBENCH_COMPOSE)');
}

/** The compose files: docker/compose.yaml, plus WIREBENCH_COMPOSE_OVERRIDE (colon-separated, e.g. this machine's stand-in nats). */
export function composeFiles(root: string): string[] {
  const extra = (process.env.WIREBENCH_COMPOSE_OVERRIDE ?? '').split(':').filter(Boolean).map((f) => path.resolve(root, f));
  return [path.join(root, 'docker', 'compose.yaml'), ...extra].flatMap((f) => ['-f', f]);
}

function removeByName(names: string[]): void {
  if (!names.length) return;
  try {
    execFileSync(containerEngine(), ['rm', '-f', '-t', '0', ...names], { stdio: 'ignore', timeout: 60_000 });
  } catch {
    /* already gone */
  }
}

export async function composeUp(suite: string, root: string, given: ReadonlyMap<string, RemoteSpec>): Promise<{ remote: Map<string, RemoteSpec>; down(): Promise<void> }> {
  const plan = containerPlan(root, suite);
  const [cmd = '', ...pre] = composeCommand();
  // podman-compose 1.0 (Debian 12) knows no profiles: the profile's services are named instead.
  const profiles = cmd.endsWith('podman-compose') ? [] : ['--profile', plan.profile];
  const base = [...pre, ...composeFiles(root), ...profiles];
  const services = [...new Set(Object.values(plan.roles).map((r) => r.service))];
  const names = [...new Set(Object.values(plan.roles).map((r) => r.container))];
  // Whatever else happens, no container of ours outlives this process.
  const onExit = (): void => removeByName(names);
  process.on('exit', onExit);
  let downed = false;
  const down = async (): Promise<void> => {
    if (downed) return;
    downed = true;
    spawnSync(cmd, [...base, 'down', '-t', '10', ...(profiles.length ? [] : services)], { stdio: 'ignore', timeout: 120_000 });
    removeByName(names);
    process.off('exit', onExit);
  };
  try {
    removeByName(names); // leftovers of an earlier run would hold the names
    const upArgs = [...base, 'up', '-d', ...services];
    const up = spawnSync(cmd, upArgs, { encoding: 'utf8', timeout: 600_000 });
    if (up.status !== 0) throw new WbError('WB_ERR_TARGET_START', `${cmd} ${upArgs.join(' ')} exited ${up.status}: ${(up.stderr || up.stdout).trim().split('\n').slice(-3).join(' | ')}`);
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
