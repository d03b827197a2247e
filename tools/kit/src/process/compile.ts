import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { WbError } from '../errors.js';
import { findUp } from './find-up.js';

/**
 * TypeScript script targets run as JavaScript compiled here, not under tsx. tsx's ESM hooks run
 * in a thread of their own for the life of the process, and that thread's memory-reducer GCs
 * (8–16 ms seen) ran on the target's CPU: a pinned agent lost that long mid-measurement. A target
 * compiled ahead runs as it would in production, with no loader beside it.
 *
 * The entry and the workspace sources it imports become one ES module (what tsx would compile,
 * with the same esbuild); every package under node_modules stays an import, so native addons
 * and package state load as usual. It is written inside the target's package
 * (node_modules/.cache/wirebench), where those imports resolve as they do from the source, and
 * built afresh by every kit process, so a run never measures stale code.
 */
const JS = /\.[cm]?js$/;

/** The target's package folder: the nearest one up from the file holding a package.json. */
const packageDir = (file: string): string => findUp(path.dirname(file), 'package.json') ?? path.dirname(file);

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

const plugin: Plugin = {
  name: 'wirebench-target',
  setup(b) {
    // Bare imports that resolve into node_modules stay imports; workspace packages (symlinked
    // there, resolved to their sources) are compiled in.
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || args.path.startsWith('node:')) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
      if (r.errors.length > 0) return { errors: r.errors };
      // Built-ins without `node:` come back external already.
      return r.external || r.path.includes(NODE_MODULES) ? { path: args.path, external: true } : { path: r.path };
    });
    // import.meta.url keeps naming each source file, so paths built from it (a sibling main to
    // spawn, say) point where they did. A plain text replacement: sources that write it inside a
    // string literal, or use import.meta.resolve/dirname/filename, still see the bundle's place.
    b.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const contents = text.includes('import.meta.url') ? text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)) : text;
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

/** Compiled once per kit process: targets of the same script (two workers, say) share the file. */
const builds = new Map<string, Promise<string>>();

/** The JavaScript file to run for a script target: the script itself when it is JavaScript already. */
export function compileScript(file: string): Promise<string> {
  if (JS.test(file)) return Promise.resolve(file);
  const abs = path.resolve(file);
  let p = builds.get(abs);
  if (!p) {
    p = compile(abs);
    builds.set(abs, p);
    p.catch(() => builds.delete(abs)); // a fixed script can be tried again
  }
  return p;
}

async function compile(abs: string): Promise<string> {
  const tag = createHash('sha256').update(abs).digest('hex').slice(0, 10);
  const outfile = path.join(packageDir(abs), 'node_modules', '.cache', 'wirebench', `${path.basename(abs).replace(/\.[^.]+$/, '')}-${tag}.mjs`);
  try {
    const r = await build({ entryPoints: [abs], outfile, write: false, bundle: true, platform: 'node', format: 'esm', target: 'node20', plugins: [plugin], logLevel: 'silent', legalComments: 'none' });
    // Written aside and renamed into place: another kit process may be starting a target from
    // this very file, and must never read it half written.
    const file = r.outputFiles.find((f) => f.path === outfile) ?? r.outputFiles[0];
    if (!file) throw new Error('esbuild wrote nothing');
    mkdirSync(path.dirname(outfile), { recursive: true });
    const tmp = `${outfile}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, outfile);
  } catch (err) {
    const first = (err as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
    throw new WbError('WB_ERR_TARGET_START', `could not compile ${abs}: ${first?.text ?? (err as Error).message}${where}; fix the script or pass a .js file`);
  }
  return outfile;
}
