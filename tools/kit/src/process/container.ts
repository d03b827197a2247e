/**
 * The container engine the kit talks to for targets in containers (`--container role=name`):
 * podman, else docker (WIREBENCH_CONTAINER_ENGINE overrides). Fault actions, health checks and
 * cgroup figures go through it; nothing here starts a container.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

let engine: string | null = null;

export function containerEngine(): string {
  if (engine) return engine;
  const asked = process.env.WIREBENCH_CONTAINER_ENGINE;
  if (asked) return (engine = asked);
  for (const e of ['podman', 'docker']) {
    try {
      execFileSync(e, ['--version'], { stdio: 'ignore' });
      return (engine = e);
    } catch {
      /* next */
    }
  }
  throw new Error('no container engine (podman or docker) on PATH; set WIREBENCH_CONTAINER_ENGINE');
}

/** Runs `<engine> args…`; resolves with stdout and the exit code (never rejects on a non-zero exit). */
export function engineRun(args: string[], timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(containerEngine(), args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function engineOk(args: string[], what: string, timeoutMs?: number): Promise<string> {
  const r = await engineRun(args, timeoutMs);
  if (r.code !== 0) throw new Error(`${what}: ${containerEngine()} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim().split('\n').pop() ?? ''}`);
  return r.stdout;
}

/** Whether the container is running (false when it is stopped or unknown). */
export async function containerRunning(name: string): Promise<boolean> {
  const r = await engineRun(['inspect', '-f', '{{.State.Running}}', name]);
  return r.code === 0 && r.stdout.trim() === 'true';
}

/**
 * Health as its image's HEALTHCHECK says: true when healthy or when it has no health check
 * (`podman healthcheck run` exits 0 healthy, 1 unhealthy, 125 without a check).
 */
export async function containerHealthy(name: string): Promise<boolean> {
  if (containerEngine().endsWith('podman')) {
    const r = await engineRun(['healthcheck', 'run', name], 30_000);
    return r.code === 0 || (r.code === 125 && /no (defined )?health ?check|not defined|does not have/i.test(r.stderr));
  }
  const r = await engineRun(['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', name]);
  return r.code === 0 && ['healthy', 'none'].includes(r.stdout.trim());
}

export interface CgroupFiles {
  /** Cumulative CPU time: ns (v1 cpuacct.usage) or a cpu.stat file (v2, usage_usec). */
  cpu: string;
  memory: string;
}

/** The container's cgroup files on this host (v1 or v2), or null when they cannot be found. */
export async function containerCgroup(name: string): Promise<CgroupFiles | null> {
  const r = await engineRun(['inspect', '-f', '{{.State.CgroupPath}}', name]);
  const cg = r.code === 0 ? r.stdout.trim() : '';
  if (!cg || cg.includes('<no value>')) return null;
  const v1 = { cpu: `/sys/fs/cgroup/cpuacct${cg}/cpuacct.usage`, memory: `/sys/fs/cgroup/memory${cg}/memory.usage_in_bytes` };
  if (existsSync(v1.cpu) && existsSync(v1.memory)) return v1;
  const v2 = { cpu: `/sys/fs/cgroup${cg}/cpu.stat`, memory: `/sys/fs/cgroup${cg}/memory.current` };
  if (existsSync(v2.cpu) && existsSync(v2.memory)) return v2;
  return null;
}

/** CPU seconds (cumulative) and memory (MiB) from the cgroup files; null once the cgroup is gone. */
export function readCgroup(f: CgroupFiles): { cpuS: number; rssMb: number } | null {
  try {
    const cpu = readFileSync(f.cpu, 'utf8');
    const cpuS = f.cpu.endsWith('cpu.stat') ? Number(/usage_usec (\d+)/.exec(cpu)?.[1] ?? NaN) / 1e6 : Number(cpu.trim()) / 1e9;
    const rssMb = Number(readFileSync(f.memory, 'utf8').trim()) / 1048576;
    return Number.isFinite(cpuS) && Number.isFinite(rssMb) ? { cpuS, rssMb } : null;
  } catch {
    return null;
  }
}
