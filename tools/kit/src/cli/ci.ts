import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WbError } from '../errors.js';
import { combinedExit, GATE_METHOD, gateHeadline, gateMarkdown, type Gate } from '../results/gate.js';
import { markdownReport } from '../results/report.js';
import { readResults } from '../results/resultfile.js';
import { AB_ARGS, abOptions, runAb } from './ab.js';
import { parse } from './args.js';
import { workspaceRoot } from './suites.js';

const USAGE = 'wirebench ci --base <rev> [--head HEAD] [--rounds 10] [--smoke] [--threshold 10] [--install cmd] [--summary file] [--html dir]  |  wirebench ci --merge <dir> [--summary file] [--html dir]';

const KIT_BIN = fileURLToPath(new URL('../../bin/wirebench.js', import.meta.url));

/** nx from the workspace (else the one beside the kit), run without daemon, cloud or TUI. */
function nxBin(root: string): string {
  for (const from of [path.join(root, 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      const pj = createRequire(from).resolve('nx/package.json');
      const bin = (JSON.parse(readFileSync(pj, 'utf8')) as { bin?: { nx?: string } }).bin?.nx ?? 'bin/nx.js';
      return path.join(path.dirname(pj), bin);
    } catch { /* next */ }
  }
  throw new WbError('WB_ERR_AFFECTED', 'nx is not installed in this workspace');
}

/**
 * The suites a change between two revisions can move: exactly what the workflow's matrix job asks
 * (`nx show projects --affected --with-target bench --json`), so the local run and CI pick the same.
 */
export function affectedSuites(root: string, base: string, head: string): string[] {
  const args = ['show', 'projects', '--affected', `--base=${base}`, `--head=${head}`, '--with-target', 'bench', '--json'];
  let out: string;
  try {
    out = execFileSync(process.execPath, [nxBin(root), ...args], {
      cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim().split('\n').filter(Boolean).slice(-1)[0] ?? (err as Error).message;
    throw new WbError('WB_ERR_AFFECTED', `npx nx ${args.join(' ')} failed: ${stderr}`);
  }
  const json = out.slice(out.indexOf('['), out.lastIndexOf(']') + 1);
  const names = JSON.parse(json || '[]') as unknown;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new WbError('WB_ERR_AFFECTED', `nx printed no project list: ${out.slice(0, 200)}`);
  return [...names].sort();
}

function gateFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'gate.json') out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/**
 * The merged report of several gates (the workflow's last job, from the matrix jobs' artifacts):
 * a headline per suite, its A/B table, and the head's last round as `wirebench report` renders it.
 * An HTML report per suite too when this kit's `report` has `--format html`.
 */
export function mergeGates(files: readonly string[], o: { summary?: string; html?: string; base?: string; head?: string }): { markdown: string; exit: number } {
  const gates = files.map((f) => ({ file: f, gate: JSON.parse(readFileSync(f, 'utf8')) as Gate }));
  const exit = combinedExit(gates.map((g) => g.gate.exit));
  const head = exit === 0 ? '✅ passed' : exit === 99 ? '❌ regression' : '⚠️ could not run';
  const out = [`## Benchmark A/B gate: ${head}`, ''];
  if (!gates.length) out.push(`No suite is affected${o.base ? ` between \`${o.base}\` and \`${o.head ?? 'HEAD'}\`` : ''}: nothing to benchmark.`, '');
  else {
    out.push(GATE_METHOD, '', '| Suite | Result |', '|---|---|', ...gates.map(({ gate }) => `| ${gate.ref} | ${gateHeadline(gate)} |`), '');
  }
  const htmlNotes: string[] = [];
  for (const { file, gate } of gates) {
    out.push(gateMarkdown(gate));
    const last = gate.runs.head.at(-1);
    if (!last) continue;
    const runDir = path.join(path.dirname(file), last);
    try {
      out.push(`<details><summary>${gate.ref}: head, round ${gate.runs.head.length}</summary>`, '', markdownReport(readResults(runDir)), '</details>', '');
    } catch (err) {
      out.push(`(head's last round unreadable: ${(err as Error).message.split('\n')[0]})`, '');
    }
    if (o.html) htmlNotes.push(htmlReport(runDir, path.join(o.html, `${gate.suite}.html`)));
  }
  if (htmlNotes.length) out.push(...htmlNotes.map((n) => `- ${n}`), '');
  const markdown = out.join('\n');
  if (o.summary) appendFileSync(o.summary, `${markdown}\n`);
  return { markdown, exit };
}

/** `wirebench report --format html`, where this kit has it (another engineer's work: probe, do not assume). */
function htmlReport(runDir: string, file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const r = spawnSync(process.execPath, [KIT_BIN, 'report', runDir, '--format', 'html', '--out', file], { encoding: 'utf8' });
  if (r.status === 0 && existsSync(file)) return `HTML report: ${file}`;
  return `no HTML report (wirebench report --format html: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? `exit ${r.status}`})`;
}

/**
 * `wirebench ci`: what the PR workflow runs, on this machine — the suites nx calls affected between
 * base and head, `wirebench ab` for each in turn, then the merged report. `--merge <dir>` is the
 * workflow's last job alone (gates already run, e.g. downloaded artifacts).
 */
export async function ciCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...AB_ARGS, merge: { type: 'string' }, summary: { type: 'string' }, html: { type: 'string' } }, USAGE);
  if (positionals.length) throw new WbError('WB_ERR_USAGE', `unexpected "${positionals[0]}"; usage: ${USAGE}`);
  const sink = { ...(values.summary ? { summary: path.resolve(values.summary) } : {}), ...(values.html ? { html: path.resolve(values.html) } : {}) };
  if (values.merge) {
    const { markdown, exit } = mergeGates(gateFiles(path.resolve(values.merge)), sink);
    process.stdout.write(`${markdown}\n`);
    return exit;
  }
  const o = abOptions(values);
  if (!o.base) throw new WbError('WB_ERR_USAGE', `--base <rev> (or --merge <dir>) is required; usage: ${USAGE}`);
  const base = o.base;
  const root = workspaceRoot();
  const suites = affectedSuites(root, base, o.head);
  process.stderr.write(`ci: affected suites between ${base} and ${o.head}: ${suites.join(', ') || 'none'}\n`);
  const files: string[] = [];
  for (const suite of suites) {
    const { gate, gateDir } = await runAb({ ...o, base, suite, root });
    files.push(path.join(gateDir, 'gate.json'));
    if (gate.exit === 130) break;
  }
  const { markdown, exit } = mergeGates(files, { ...sink, base, head: o.head });
  process.stdout.write(`\n${markdown}\n`);
  return exit;
}
