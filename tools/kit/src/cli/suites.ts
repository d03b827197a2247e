import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WbError } from '../errors.js';
import { findUp } from '../process/find-up.js';
import type { Suite } from '../suite/suite.js';

/** The workspace root: the nearest folder upwards holding nx.json (else the start folder). */
export function workspaceRoot(from = process.cwd()): string {
  return findUp(from, 'nx.json') ?? path.resolve(from);
}

function suiteFileIn(dir: string): string | null {
  const pj = path.join(dir, 'package.json');
  if (existsSync(pj)) {
    const field = (JSON.parse(readFileSync(pj, 'utf8')) as { wirebench?: { suite?: string } }).wirebench?.suite;
    if (field) return path.resolve(dir, field);
  }
  const def = path.join(dir, 'src', 'suite.ts');
  return existsSync(def) ? def : null;
}

/** Names of the suites under `<root>/suites`. */
export function listSuites(root: string): string[] {
  const dir = path.join(root, 'suites');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((d) => statSync(path.join(dir, d)).isDirectory() && suiteFileIn(path.join(dir, d)));
}

/** The folder under suites/ whose package.json names Nx project (or npm package) `ref`, e.g. suite-zmq-bridge. */
export function suiteDirByProject(ref: string, root: string): string | null {
  for (const d of listSuites(root)) {
    const file = path.join(root, 'suites', d, 'package.json');
    if (!existsSync(file)) continue;
    const pj = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; nx?: { name?: string } };
    if (pj.nx?.name === ref || pj.name === ref) return path.join(root, 'suites', d);
  }
  return null;
}

/** A suite by folder path, by name under suites/, or by its Nx project name (what `nx show projects` prints). */
export function resolveSuiteFile(ref: string, root: string): string {
  const byProject = existsSync(path.join(root, 'suites', ref)) ? null : suiteDirByProject(ref, root);
  const candidates = [path.resolve(ref), path.join(root, 'suites', ref), ...(byProject ? [byProject] : [])];
  for (const c of candidates) {
    if (existsSync(c) && statSync(c).isDirectory()) {
      const f = suiteFileIn(c);
      if (f) return f;
    }
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  const known = listSuites(root);
  throw new WbError('WB_ERR_UNKNOWN_SUITE', `no suite "${ref}"; known suites: ${known.join(', ') || '(none)'}`);
}

export async function loadSuite(file: string): Promise<Suite> {
  const mod = (await import(pathToFileURL(file).href)) as { default?: Suite };
  const suite = mod.default;
  if (!suite || typeof suite.name !== 'string' || !Array.isArray(suite.scenarios)) {
    throw new WbError('WB_ERR_UNKNOWN_SUITE', `${file} does not export a suite (export default defineSuite({...}))`);
  }
  return suite;
}
