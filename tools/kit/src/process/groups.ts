import { readdirSync, readFileSync } from 'node:fs';

/**
 * Process groups this kit started, across all Processes instances, kept until the whole group is
 * gone (not just its leader): a wrapper's children outlive it otherwise. The exit hook kills them all.
 */
export const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function killGroup(pgid: number | undefined, signal: NodeJS.Signals): void {
  if (pgid === undefined) return;
  try {
    process.kill(-pgid, signal); // the whole group: a target's own children go too
  } catch {
    // No such group: everybody left, or the leader has not run setpgid yet (process-group.ts
    // does it a few ms after spawn). The leader alone, then, and the group stays listed.
    try {
      process.kill(pgid, signal);
    } catch {
      liveGroups.delete(pgid);
    }
  }
}

/**
 * Whether any non-zombie process is left in the group. Zombies answer kill(0) but are dead: in a
 * container whose init does not reap, killed orphans stay zombies forever, so /proc is asked.
 */
export function groupAlive(pgid: number | undefined): boolean {
  if (pgid === undefined) return false;
  try {
    process.kill(-pgid, 0);
  } catch {
    liveGroups.delete(pgid);
    return false;
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return true; // no /proc: trust kill(0)
  }
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) === pgid && f[0] !== 'Z') return true;
    } catch {
      /* exited meanwhile */
    }
  }
  liveGroups.delete(pgid);
  return false;
}

export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const g of liveGroups) killGroup(g, 'SIGKILL');
  });
}
