import { readResults, resultJsonSchema } from '../results/resultfile.js';
import { WbError } from '../errors.js';
import { loadSuite, listSuites, resolveSuiteFile, workspaceRoot } from './suites.js';

export async function listCommand(argv: string[]): Promise<number> {
  const root = workspaceRoot();
  const names = argv.length ? argv : listSuites(root);
  for (const n of names) {
    const suite = await loadSuite(resolveSuiteFile(n, root));
    process.stdout.write(`${suite.name} (${suite.transport}): ${suite.description}\n`);
    for (const s of suite.scenarios) process.stdout.write(`  ${s.name.padEnd(20)} ${s.description}\n`);
  }
  return 0;
}

export function validateCommand(argv: string[]): number {
  if (argv.length !== 1) throw new WbError('WB_ERR_USAGE', 'usage: wirebench validate <run folder|result file>');
  const results = readResults(argv[0]!);
  process.stdout.write(`${results.length} result(s) valid against ${results[0]?.schema}\n`);
  return 0;
}

export function schemaCommand(): number {
  process.stdout.write(`${JSON.stringify(resultJsonSchema(), null, 2)}\n`);
  return 0;
}
