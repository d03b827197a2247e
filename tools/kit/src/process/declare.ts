/**
 * Declarative targets: a suite names a workspace package and the main inside it; the kit finds the
 * file. Suites used to compute paths from their own location or from a resolved entry point, two
 * different ways; a package moved or an export changed broke one of them silently.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { WbError } from '../errors.js';
import { compileScript } from './compile.js';
import { findUp } from './find-up.js';
import type { TargetSpec } from './processes.js';

export interface TargetDecl extends Omit<TargetSpec, 'script' | 'command'> {
  /** The npm package holding the main, e.g. '@wirebench/zmq-bridge' (resolved like an import from the kit). */
  package: string;
  /** The main's path inside the package, e.g. 'src/broker-main.ts'. */
  main: string;
}

const require = createRequire(import.meta.url);

/** The folder of an installed package (its package.json's folder), whatever its exports allow. */
export function packageDir(name: string): string {
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch (err) {
    throw new WbError('WB_ERR_TARGET_START', `package ${name} cannot be resolved from the kit: ${(err as Error).message.split('\n')[0]}`, { hint: 'add it to the suite\'s dependencies and run npm install' });
  }
  const pj = findUp(path.dirname(entry), 'package.json');
  if (!pj) throw new WbError('WB_ERR_TARGET_START', `package ${name}: no package.json above ${entry}`);
  return pj;
}

/** A script target from a package and its main: `ctx.processes.start(target({ package, main, role, args, ready }))`. */
export function target(decl: TargetDecl): TargetSpec {
  const { package: pkg, main, ...rest } = decl;
  const script = path.join(packageDir(pkg), main);
  if (!existsSync(script)) throw new WbError('WB_ERR_TARGET_START', `target ${decl.role}: ${pkg} has no ${main} (looked at ${script})`);
  return { ...rest, script };
}

/**
 * The command that runs a package's main compiled, as the kit runs script targets: for programs a
 * target starts itself (a pool's workers, a start-up floor's bare processes). Under tsx, each of
 * them would carry tsx's loader thread and its start-up, and the figures would be tsx's.
 */
export async function compiledCommand(decl: Pick<TargetDecl, 'package' | 'main'>): Promise<string[]> {
  const script = path.join(packageDir(decl.package), decl.main);
  if (!existsSync(script)) throw new WbError('WB_ERR_TARGET_START', `${decl.package} has no ${decl.main} (looked at ${script})`);
  return [process.execPath, await compileScript(script)];
}

/**
 * A free loopback TCP port, for endpoints that must stay put across a restart (port 0 would move)
 * or that a target must be told in advance (nats-server, a pool's front). Another process can take
 * it between this call and the bind: callers bind at once.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new WbError('WB_ERR_TARGET_START', 'the OS gave no free port'))));
    });
  });
}
