/**
 * `nx affected -t bench` must pick exactly the suites a change can move: a target's change selects
 * its suite, a kit change selects every suite, results and docs select none. Proven on a throw-away
 * git history holding a copy of this workspace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const NX = path.join(root, 'node_modules', '.bin', 'nx');

function sh(cwd: string, cmd: string, args: string[]): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

test('nx affected -t bench selects suites by what changed', { timeout: 180_000 }, (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wb-affected-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The workspace as it is on disk (tracked and new files), without run output.
  const files = sh(root, 'git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).split('\0').filter((f) => f && !f.startsWith('results/') && existsSync(path.join(root, f)));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    cpSync(path.join(root, f), path.join(dir, f));
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  sh(dir, 'git', ['init', '-q']);
  sh(dir, 'git', ['add', '-A']);
  sh(dir, 'git', ['commit', '-qm', 'base']);

  const suites = sh(dir, process.execPath, [NX, 'show', 'projects', '--with-target', 'bench']).trim().split('\n').sort();
  assert.ok(suites.includes('suite-kit-self') && suites.length >= 2, `bench projects: ${suites.join(' ')}`);

  const affectedAfter = (touch: string): string[] => {
    const file = path.join(dir, touch);
    mkdirSync(path.dirname(file), { recursive: true });
    appendFileSync(file, '\n// touched\n');
    sh(dir, 'git', ['add', '-A', '-f', touch]);
    sh(dir, 'git', ['commit', '-qm', `touch ${touch}`]);
    const out = sh(dir, process.execPath, [NX, 'show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--with-target', 'bench']);
    return out.trim().split('\n').filter(Boolean).sort();
  };

  assert.deepEqual(affectedAfter('targets/zmq-bridge/src/index.ts'), ['suite-zmq-bridge'], 'a target change selects only its suite');
  assert.deepEqual(affectedAfter('targets/jsonrpc-agent/src/index.ts'), ['suite-jsonrpc-agent']);
  assert.deepEqual(affectedAfter('suites/kit-self/src/suite.ts'), ['suite-kit-self'], 'a suite change selects that suite');
  assert.deepEqual(affectedAfter('tools/kit/src/index.ts'), suites, 'a kit change selects every suite');
  assert.deepEqual(affectedAfter('results/baselines/kit-self/x.json'), [], 'results select none');
  assert.deepEqual(affectedAfter('README.md'), [], 'the root README selects none');
  assert.deepEqual(affectedAfter('targets/zmq-bridge/README.md'), [], 'a package README selects none');
});
