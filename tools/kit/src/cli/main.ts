/**
 * `wirebench` CLI. Every failure is one line on stderr (`WB_ERR_*: what happened (what to do)`)
 * and a non-zero exit: 2 for bad input, 1 for invalid runs and errors, 99 when a bench run was
 * valid but an SLO failed (k6's convention), 1 when compare found a regression, 130 when interrupted.
 * Set WIREBENCH_DEBUG=1 for stack traces.
 */
import { errorLine, isWbError } from '../errors.js';
import { abCommand } from './ab.js';
import { baselineCommand } from './baseline.js';
import { benchCommand } from './bench.js';
import { ciCommand } from './ci.js';
import { compareCommand } from './compare.js';
import { historyCommand } from './history.js';
import { trendDataCommand } from './trend-data.js';
import { mergeCommand } from './merge.js';
import { listCommand, schemaCommand, validateCommand } from './misc.js';
import { noiseCommand } from './noise.js';
import { profileCommand } from './profile.js';
import { reportCommand } from './report.js';

const HELP = `wirebench — benchmark runner of the Wirebench lab

  wirebench bench <suite> [--smoke] [--scenario a,b] [--quiet] [--no-fail] [--set k=v]
                 [--shard i/N] [--start-at epoch-ms]   this process runs shard i of N of every load
                 [--target role=url]… [--container role=name]…   run against targets already running
                 [--containers]                        the suite's compose profile up, run, down
  wirebench merge <shard run dir>… [--out dir]   the shards' results merged into one per scenario
  wirebench compare <baseline> <current> [--threshold 10] [--threshold-for p99=20] [--format text|md|json]
  wirebench report <run> [--baseline <run>] [--format md|json|html] [--out file] [--screenshot]
                                 html: one self-contained page (charts inline) in <run>/report.html; --screenshot: <run>/report.png
  wirebench history <suite> [--metric p99,cpu_*] [--dir results/baselines] [--out file]
                                 a trend page of metrics across saved baselines (or run folders)
  wirebench ab <suite> --base <rev> [--head HEAD] [--rounds 10] [--smoke] [--scenario a,b] [--threshold 10] [--install cmd]
                                 base and head on this machine in alternating rounds; exit 99 on a significant regression
  wirebench ci --base <rev> [--head HEAD] [ab options] [--summary file] [--html dir]
                                 what the PR workflow runs: nx-affected suites, ab for each, the merged report
  wirebench ci --merge <dir> [--summary file] [--html dir]   the merged report of gates already run
  wirebench trend-data <run>… [--out results/history]   append a run's figures to <suite>.jsonl (trend data for CI)
  wirebench baseline save <run> [--name name]
  wirebench list                 suites and their scenarios
  wirebench validate <run|file>  check result files against the schema
  wirebench schema               print the result JSON Schema
  wirebench noise [--seconds 10] [--threads 1] [--threshold-ms 0.1] [--format text|json]
                                 how long this machine takes a CPU away from a spinning thread
  wirebench profile <suite> [--scenario s] [--tool 0x|doctor|flame|bubbleprof] [--role r] [--smoke]
                                 a scenario's load with one node target under 0x or clinic; prints the HTML report's path
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'bench': return benchCommand(rest);
    case 'merge': return mergeCommand(rest);
    case 'compare': return compareCommand(rest);
    case 'ab': return abCommand(rest);
    case 'ci': return ciCommand(rest);
    case 'trend-data': return trendDataCommand(rest);
    case 'report': return reportCommand(rest);
    case 'history': return historyCommand(rest);
    case 'baseline': return baselineCommand(rest);
    case 'list': return listCommand(rest);
    case 'validate': return validateCommand(rest);
    case 'schema': return schemaCommand();
    case 'noise': return noiseCommand(rest);
    case 'profile': return profileCommand(rest);
    case undefined: case 'help': case '--help': case '-h':
      process.stdout.write(HELP);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`WB_ERR_USAGE: unknown command "${cmd}"; run wirebench --help\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (process.env.WIREBENCH_DEBUG) console.error(err);
    process.stderr.write(`${errorLine(err)}\n`);
    process.exitCode = isWbError(err) && !['WB_ERR_TARGET_START', 'WB_ERR_TARGET_EXIT', 'WB_ERR_WORKER', 'WB_ERR_PROFILE'].includes(err.code) ? 2 : 1;
  },
);
