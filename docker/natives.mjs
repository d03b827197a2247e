#!/usr/bin/env node
/**
 * Copies native addons and what they load at run time from node_modules into <out>/node_modules,
 * pruned to this platform's binary: the images' runtime stage gets these and the bundle, nothing else.
 *
 *   node docker/natives.mjs /out zeromq msgpackr-extract
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/** Needed to build or install an addon, never to load it. */
const BUILD_ONLY = new Set(['node-addon-api', 'prebuild-install', 'node-gyp', 'cmake-ts-install']);
/** Parts of a package that only building it needs (sources, other platforms' binaries). */
const PRUNE = {
  zeromq: ['src', 'script', 'vcpkg.json', 'CMakeLists.txt', ...['darwin', 'win32', 'linux'].filter((os) => os !== process.platform).map((os) => `build/${os}`)],
  'better-sqlite3': ['deps', 'src', 'build/Release/obj', 'build/Release/obj.target', 'build/Release/.deps', 'build/Release/test_extension.node', 'build/Release/sqlite3.a', 'build/deps'],
};

const [out, ...names] = process.argv.slice(2);
if (!out || names.length === 0) {
  process.stderr.write('usage: natives.mjs <out> <package>…\n');
  process.exit(2);
}
const root = process.cwd();
const done = new Set();
const todo = [...names];
while (todo.length) {
  const name = todo.shift();
  if (done.has(name) || BUILD_ONLY.has(name)) continue;
  const from = path.join(root, 'node_modules', name);
  if (!existsSync(from)) {
    // Optional platform packages (@msgpackr-extract/…-linux-x64) exist only for this platform.
    continue;
  }
  done.add(name);
  const to = path.join(out, 'node_modules', name);
  cpSync(from, to, { recursive: true, dereference: true });
  for (const p of PRUNE[name] ?? []) rmSync(path.join(to, p), { recursive: true, force: true });
  const pj = JSON.parse(readFileSync(path.join(from, 'package.json'), 'utf8'));
  todo.push(...Object.keys(pj.dependencies ?? {}), ...Object.keys(pj.optionalDependencies ?? {}));
}
// A scope folder copied whole would carry other platforms' packages: only what was named above is there.
process.stdout.write(`copied ${[...done].join(', ')} into ${path.join(out, 'node_modules')}\n`);
if (readdirSync(path.join(out, 'node_modules')).length === 0) process.exit(1);
