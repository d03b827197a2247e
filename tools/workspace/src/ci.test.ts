/**
 * `wirebench ci` — what the PR workflow runs — on a throw-away git history of a fixture workspace
 * (ab-fixture.ts): nx picks the affected suites, `ab` measures base and head in alternating
 * rounds, the merged report says what happened. Three commits, each against its parent: a 2 ms
 * delay in target a fails the gate on suite a alone (99); a README change runs nothing and passes;
 * a comment in target b (A/A) runs suite b and passes. Short closed-loop rounds, 8 of them (Holm
 * over the fixture's 6 figures reaches 0.05 from 7 rounds, 6/2^7, if every pair agrees; 8 leave room
 * for one small disagreeing pair), threshold 50%: the delay is several hundred percent on p50.
 * ~2.5 min on this 2-core machine. On a machine busy with other benchmarks a round may be invalid
 * (exit 1) or the pairs disagree: that is the machine, as for any benchmark here — rerun when quiet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { change, git, INSTALL, KIT_BIN, makeFixture } from './ab-fixture.js';

function ci(dir: string, extra: string[] = []) {
  const r = spawnSync(process.execPath, [KIT_BIN, 'ci', '--base', 'HEAD~1', '--rounds', '8', '--threshold', '50', '--install', INSTALL, ...extra], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 280_000,
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}`, stdout: r.stdout, stderr: r.stderr };
}

function gates(dir: string, suite: string): Array<{ exit: number; rounds: number; comparison: { rows: Array<{ metric: string; pairs: number; verdict: string }> } }> {
  const d = path.join(dir, 'results', 'ab', suite);
  return existsSync(d) ? readdirSync(d).map((id) => JSON.parse(readFileSync(path.join(d, id, 'gate.json'), 'utf8'))) : [];
}

test('wirebench ci: a 2 ms delay fails the gate on its suite alone; a README change and an A/A change pass', { timeout: 600_000 }, (t) => {
  const dir = makeFixture();
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  change(dir, 'targets/a/main.ts', 'const DELAY_MS = 0;', 'const DELAY_MS = 2;', 'target a: 2 ms per reply');
  const slow = ci(dir, ['--summary', path.join(dir, 'summary.md')]);
  t.diagnostic(`delay:\n${slow.out}`);
  assert.equal(slow.code, 99, slow.out);
  assert.match(slow.stderr, /ci: affected suites between HEAD~1 and HEAD: suite-a\n/, 'only the changed target\'s suite runs');
  assert.match(slow.stdout, /REGRESSION: suite-a\/echo p50: .*p=0\.00\d+ one-sided Wilcoxon signed-rank, 0\.0\d+ after Holm over \d figures; threshold 50%/);
  const [g] = gates(dir, 'a');
  assert.equal(g?.exit, 99);
  assert.equal(g?.comparison.rows.find((r) => r.metric === 'p50')?.pairs, 8);
  const summary = readFileSync(path.join(dir, 'summary.md'), 'utf8');
  assert.match(summary, /## Benchmark A\/B gate: ❌ regression/);
  assert.match(summary, /\| echo \| p50 \| .* \| ❌ regressed \|/);
  assert.equal(git(dir, ['worktree', 'list']).trim().split('\n').length, 1, 'the base checkout is removed');
  assert.deepEqual(readdirSync(path.join(dir, 'tmp')), []);

  change(dir, 'README.md', '# CI fixture\n', '# CI fixture\n\nHow to run it.\n', 'docs');
  const docs = ci(dir);
  t.diagnostic(`readme:\n${docs.out}`);
  assert.equal(docs.code, 0, docs.out);
  assert.match(docs.stderr, /affected suites between HEAD~1 and HEAD: none/);
  assert.match(docs.stdout, /No suite is affected/);

  change(dir, 'targets/b/main.ts', '// Target b: an HTTP echo server.', '// Target b: an HTTP echo server (same code, new comment).', 'A/A');
  const aa = ci(dir);
  t.diagnostic(`A/A:\n${aa.out}`);
  assert.equal(aa.code, 0, aa.out);
  assert.match(aa.stderr, /affected suites between HEAD~1 and HEAD: suite-b\n/);
  assert.match(aa.stdout, /gate suite-b: passed/);
  assert.equal(gates(dir, 'b')[0]?.exit, 0);
  assert.equal(gates(dir, 'a').length, 1, 'suite a did not run again');
});
