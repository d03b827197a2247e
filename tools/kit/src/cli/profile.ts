/**
 * `wirebench profile <suite>`: one scenario's load with one of its node targets under 0x, a
 * clinic tool, or V8's own sampler (`--tool cpu-prof`: a preload in NODE_OPTIONS, so every node
 * process the target starts — a pool's workers too — writes a .cpuprofile, summarized by origin and
 * function in summary.txt; 0x's shares were dominated by its own log writes). The scenario runs through the normal runner; only the chosen target is spawned as
 * `<profiler> [flags] -- node <the args the benchmark uses>` (the kit's TargetWrap hook: compiled
 * script, probe import, readiness, stop all stay the kit's). The report is written while the kit
 * stops the target: SIGINT to its process group, as Ctrl+C in a terminal (0x's soft exit and
 * clinic's SIGINT relay both expect that; clinic dies on SIGTERM without a report), with up to
 * 120 s for the tool to build it. A profiled target is slower: profiles find hot spots, they are
 * not figures.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WbError } from '../errors.js';
import type { Target, TargetWrap } from '../process/processes.js';
import { newRunId, runSuite, selectScenarios } from '../runner/runner.js';
import { keyValues, parse } from './args.js';
import { summarizeProfileFile } from './cpu-profile-summary.js';
import { loadSuite, resolveSuiteFile, workspaceRoot } from './suites.js';

const USAGE = 'wirebench profile <suite> [--scenario s] [--tool 0x|cpu-prof|doctor|flame|bubbleprof] [--role r] [--smoke] [--set key=value] [--results dir]';
const TOOLS = ['0x', 'cpu-prof', 'doctor', 'flame', 'bubbleprof'] as const;
type Tool = (typeof TOOLS)[number];

/** How long a profiled target may take to stop: clinic analyses its data then (tens of seconds on 2 cores). */
const PROFILE_STOP_TIMEOUT_MS = 120_000;

const CPU_PROF_PRELOAD = fileURLToPath(new URL('./cpu-prof-preload.mjs', import.meta.url));

function bin(tool: Exclude<Tool, 'cpu-prof'>): string {
  const require = createRequire(import.meta.url);
  const file = tool === '0x' ? '0x/cmd.js' : 'clinic/bin.js';
  try {
    return require.resolve(file);
  } catch {
    throw new WbError('WB_ERR_PROFILE', `${tool === '0x' ? '0x' : 'clinic'} is not installed (a dependency of @wirebench/kit): run npm ci`);
  }
}

/** The profiler's command line around the node one (argv[0] is node). */
function wrapperArgv(tool: Tool, dir: string, argv: string[]): string[] {
  if (tool === 'cpu-prof') return argv; // NODE_OPTIONS carries the preload, to the target's children too
  if (tool === '0x') return [process.execPath, bin(tool), '--output-dir', dir, '--output-html', path.join(dir, 'flamegraph.html'), '--', ...argv];
  return [process.execPath, bin(tool), tool, '--open=false', '--dest', dir, '--', ...argv];
}

function filesEnding(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(ext)).map((f) => path.join(dir, f)).sort();
}

/** summary.txt beside the .cpuprofile files: one block per process. */
function cpuProfileReport(dir: string): string[] {
  const profiles = filesEnding(dir, '.cpuprofile');
  if (!profiles.length) return [];
  const file = path.join(dir, 'summary.txt');
  writeFileSync(file, `${profiles.map((f) => summarizeProfileFile(f)).join('\n\n')}\n`);
  return [file];
}

const shown = (file: string): string => {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
};

export async function profileCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    scenario: { type: 'string' },
    tool: { type: 'string', default: '0x' },
    role: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    set: { type: 'string', multiple: true },
    results: { type: 'string' },
  }, USAGE);
  const [ref, ...extra] = positionals;
  if (!ref || extra.length) throw new WbError('WB_ERR_USAGE', `name one suite; usage: ${USAGE}`);
  const tool = values.tool as Tool;
  if (!TOOLS.includes(tool)) throw new WbError('WB_ERR_USAGE', `--tool is one of ${TOOLS.join(', ')}, not "${values.tool}"; usage: ${USAGE}`);
  const root = workspaceRoot();
  const suiteFile = resolveSuiteFile(ref, root);
  const suite = await loadSuite(suiteFile);
  const scenario = values.scenario ?? suite.scenarios[0]?.name;
  if (!scenario) throw new WbError('WB_ERR_UNKNOWN_SCENARIO', `suite ${suite.name} has no scenarios`);
  selectScenarios(suite, [scenario]);
  if (tool !== 'cpu-prof') bin(tool);
  const params = keyValues(values.set, '--set');
  const quiet = values.quiet || process.env.CI === 'true';
  const resultsDir = values.results ? path.resolve(values.results) : path.join(root, 'results');
  const stamp = newRunId().replace(/-[0-9a-f]+$/, '');
  // Filled in by the wrap's callbacks while the scenario runs.
  const got: { dir: string | null; target: Target | null; roles: string[] } = { dir: null, target: null, roles: [] };

  const dirFor = (role: string) => path.join(resultsDir, 'profiles', suite.name, `${scenario}-${role.replace(/[^\w.-]+/g, '_')}-${tool}-${stamp}`);
  // cpu-prof's folder is named before the target starts: NODE_OPTIONS must carry it.
  const cpuProfDir = tool === 'cpu-prof' ? dirFor(values.role ?? 'target') : null;
  const wrap: TargetWrap = {
    ...(values.role ? { role: values.role } : {}),
    command: (node, role) => {
      got.dir ??= cpuProfDir ?? dirFor(role);
      mkdirSync(got.dir, { recursive: true });
      return wrapperArgv(tool, got.dir, node);
    },
    // NO_INSIGHT: without a TTY, clinic's analytics prompt makes it exit before starting the target.
    env: cpuProfDir
      ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(CPU_PROF_PRELOAD).href}`.trim(), WB_CPU_PROF_DIR: cpuProfDir }
      : tool === '0x' ? {} : { NO_INSIGHT: '1', NO_UPDATE_NOTIFIER: '1' },
    stopSignal: 'SIGINT',
    stopTimeoutMs: PROFILE_STOP_TIMEOUT_MS,
    readyTimeoutMs: 60_000,
    onTarget: (t, isWrapped) => {
      got.roles.push(t.role);
      if (isWrapped) got.target = t;
    },
  };

  const abort = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) process.exit(130); // the exit hook kills every target
    process.stderr.write(`\n${sig}: stopping the scenario; the profiler writes its report (again to abort without one)\n`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The run's own result is kept beside the report (result.json); its figures are a profiled target's.
  const runDir = mkdtempSync(path.join(tmpdir(), 'wb-profile-'));
  let runError: unknown = null;
  try {
    if (!quiet) process.stderr.write(`profiling ${suite.name}/${scenario} (${values.role ?? 'its first node target'}) under ${tool}; the report is written when the scenario stops its targets\n`);
    try {
      const report = await runSuite(suite, { suiteFile, smoke: values.smoke, only: [scenario], resultsDir: runDir, quiet, params, signal: abort.signal, cwd: root, wrap });
      if (got.dir) for (const f of report.files) cpSync(f, path.join(got.dir, 'result.json'));
    } catch (err) {
      runError = err;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    rmSync(runDir, { recursive: true, force: true });
  }
  const { dir, target: t, roles } = got;
  const reports = !dir ? [] : tool === 'cpu-prof' ? cpuProfileReport(dir) : filesEnding(dir, '.html');
  if (!reports.length) {
    if (runError && !t) throw runError;
    if (!t) {
      throw new WbError('WB_ERR_PROFILE', `scenario ${scenario} started no node script target${values.role ? ` with role "${values.role}"` : ''} (its targets: ${roles.join(', ') || 'none'}); pick a scenario or --role that starts one`);
    }
    const how = t.exitInfo ? `exited ${t.exitInfo.signal ?? `with code ${t.exitInfo.code}`}` : 'did not exit';
    const why = runError ? `; the run failed: ${(runError as Error).message.split('\n')[0]}` : '';
    throw new WbError('WB_ERR_PROFILE', `${tool} wrote no ${tool === 'cpu-prof' ? '.cpuprofile' : 'HTML report'} for ${t.role} in ${shown(dir ?? resultsDir)} (it ${how})${why}; its last output: ${t.tail.slice(-4).join(' | ') || '(none)'}`);
  }
  if (!quiet) process.stderr.write(`${tool} report of ${t?.role ?? values.role}:\n`);
  if (!quiet && tool === 'cpu-prof') for (const f of reports) process.stderr.write(`${readFileSync(f, 'utf8')}\n`);
  for (const f of reports) process.stdout.write(`${shown(f)}\n`);
  if (runError) {
    const msg = (runError instanceof Error ? runError.message : String(runError)).split('\n')[0];
    process.stderr.write(`wirebench profile: the report was written, but the scenario failed: ${msg}\n`);
    return 1;
  }
  return abort.signal.aborted ? 130 : 0;
}
