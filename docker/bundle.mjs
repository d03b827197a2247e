#!/usr/bin/env node
/**
 * Bundles a target package's mains (src/main.ts, src/*-main.ts) into <package>/dist/<name>.mjs: one
 * ES module each with every pure-JS dependency inside, so an image needs no node_modules but the
 * native addons named below (kept as imports, copied by natives.mjs). The same command serves the
 * Nx `build` target on a workstation and the images' build stage.
 *
 *   node docker/bundle.mjs targets/zmq-bridge
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Native addons (and the optional native half of msgpackr): loaded from node_modules at run time. */
export const NATIVE = ['zeromq', 'better-sqlite3', 'msgpackr-extract'];

async function esbuild() {
  try {
    return await import('esbuild');
  } catch {
    // The images' build stage installs esbuild globally (the lock file's version).
    const root = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
    return import(pathToFileURL(path.join(root, 'esbuild', 'lib', 'main.js')).href);
  }
}

const pkgDir = path.resolve(process.argv[2] ?? '.');
const src = path.join(pkgDir, 'src');
if (!existsSync(src)) {
  process.stderr.write(`bundle: ${src} does not exist\n`);
  process.exit(2);
}
const mains = readdirSync(src).filter((f) => /^(main|.+-main)\.ts$/.test(f));
const outdir = path.join(pkgDir, 'dist');
rmSync(outdir, { recursive: true, force: true });
const { build } = await esbuild();
await build({
  entryPoints: mains.map((m) => path.join(src, m)),
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: NATIVE,
  // CommonJS dependencies inside an ES module bundle still call require() for built-ins.
  banner: { js: "import { createRequire as __wbCreateRequire } from 'node:module'; const require = __wbCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
process.stdout.write(`bundled ${mains.length} main(s) of ${path.relative(process.cwd(), pkgDir) || '.'} into ${path.relative(process.cwd(), outdir)}: ${mains.map((m) => m.replace(/\.ts$/, '.mjs')).join(', ')}\n`);
