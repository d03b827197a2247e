import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Env } from './types.js';

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** Version of an installed package as resolved from `fromDir`, or 'not installed'. */
export function packageVersion(name: string, fromDir: string): string {
  const req = createRequire(path.join(fromDir, 'noop.js'));
  try {
    const pj = req.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(pj, 'utf8')) as { version: string }).version;
  } catch {
    // packages whose exports hide package.json: walk up from the entry point
    try {
      let dir = path.dirname(req.resolve(name));
      for (let i = 0; i < 6; i++) {
        try {
          const pj = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
          if (pj.name === name && pj.version) return pj.version;
        } catch { /* keep walking */ }
        dir = path.dirname(dir);
      }
    } catch { /* not installed */ }
    return 'not installed';
  }
}

export function collectEnv(opts: { cwd: string; libraries: readonly string[]; libraryDir: string }): Env {
  const cpus = os.cpus();
  const status = git(['status', '--porcelain', '--untracked-files=no'], opts.cwd);
  const libraries: Record<string, string> = {};
  for (const name of opts.libraries) libraries[name] = packageVersion(name, opts.libraryDir);
  return {
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    git: { commit: git(['rev-parse', 'HEAD'], opts.cwd), dirty: status === null ? false : status.length > 0 },
    libraries,
  };
}
