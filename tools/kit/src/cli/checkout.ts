import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { WbError } from '../errors.js';

/** git in `cwd`, trimmed stdout; a failure is a WB_ERR_GIT line with git's own first line. */
export function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? (err as Error).message).trim().split('\n')[0];
    throw new WbError('WB_ERR_GIT', `git ${args.join(' ')}: ${stderr}`);
  }
}

/** The commit a revision names (branch, tag, sha, HEAD~1…). */
export function commitOf(root: string, rev: string): string {
  try {
    return git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  } catch {
    throw new WbError('WB_ERR_GIT', `no commit "${rev}" in ${root}`);
  }
}

/** Whether `file` exists at `commit`, without checking anything out. */
export function existsAt(root: string, commit: string, file: string): boolean {
  try {
    git(root, ['cat-file', '-e', `${commit}:${file.split(path.sep).join('/')}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a command with its output in a log file (a bench run's progress would bury the gate's own
 * lines); resolves with its exit code (128 + n for a signal) and the time it took.
 */
export function runLogged(cmd: string, args: string[], o: { cwd: string; log: string; shell?: boolean; env?: NodeJS.ProcessEnv }): Promise<{ code: number; ms: number }> {
  mkdirSync(path.dirname(o.log), { recursive: true });
  const fd = openSync(o.log, 'a');
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: o.cwd, stdio: ['ignore', fd, fd], shell: o.shell ?? false, env: o.env ?? process.env });
    child.once('error', (err) => {
      closeSync(fd);
      reject(new WbError('WB_ERR_GIT', `cannot run ${cmd}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      closeSync(fd);
      resolve({ code: code ?? (signal === 'SIGINT' ? 130 : 128 + 15), ms: performance.now() - t0 });
    });
  });
}

/** The last lines of a log, for the one place a failure's cause is printed. */
export function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `  | ${l}`).join('\n');
}

export interface Checkout {
  dir: string;
  /** Removes the worktree (a no-op for the working tree itself). */
  remove: () => void;
}

/**
 * A detached git worktree of `commit` at `dir` (under the workspace's tmp/, git-ignored), installed
 * with `install` (default `npm ci`): its own node_modules, so its suite runs its own targets and
 * its own kit. A checkout whose install is missing would resolve packages from the workspace above.
 */
export async function worktree(root: string, commit: string, dir: string, install: string, log: string): Promise<Checkout> {
  mkdirSync(path.dirname(dir), { recursive: true });
  git(root, ['worktree', 'add', '--detach', '--force', dir, commit]);
  const remove = (): void => {
    try {
      git(root, ['worktree', 'remove', '--force', dir]);
    } catch {
      rmSync(dir, { recursive: true, force: true });
      try {
        git(root, ['worktree', 'prune']);
      } catch { /* nothing left to prune */ }
    }
  };
  const r = await runLogged(install, [], { cwd: dir, log, shell: true });
  if (r.code !== 0) {
    remove();
    process.stderr.write(`${tail(log)}\n`);
    throw new WbError('WB_ERR_GIT', `"${install}" failed in the checkout of ${commit.slice(0, 8)} (exit ${r.code}); log: ${log}`);
  }
  return { dir, remove };
}
