/**
 * Profiles the agent under load: `npx nx run suite-jsonrpc-agent:profile` (or
 * `node --import tsx suites/jsonrpc-agent/src/profile.ts [--seconds 10] [--tool 0x|doctor|both]`).
 * Starts the agent as a child under 0x (flamegraph HTML) and then under clinic doctor, drives
 * asap.send with autocannon for ~10 s, stops it with SIGINT so the tool writes its report, and
 * prints where the artifacts are: results/profiles/jsonrpc-agent-<time>/ (git-ignored).
 * Profiles are for finding hot spots, not for figures: a profiled agent is slower.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { autocannonRun } from '@wirebench/kit-http';
import { AGENT_MAIN, agentArgs } from './targets.js';
import { checkSendText, inputOfSize, taskTemplate } from './wire.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, tool: { type: 'string', default: 'both' } } });
const seconds = Number(values.seconds);
// The workspace root: suites/jsonrpc-agent/src → ../../..
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = (name: string): string => path.join(root, 'node_modules', '.bin', name);
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
const outDir = path.join(root, 'results', 'profiles', `jsonrpc-agent-${stamp}`);
mkdirSync(outDir, { recursive: true });

const agentCmd = ['node', '--import', 'tsx', AGENT_MAIN, ...agentArgs()];
const send = taskTemplate(inputOfSize(0));
const body = send.request(1, 'bench-profile-1');

function waitReady(child: ChildProcess, tool: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`WB_ERR_PROFILE: the agent under ${tool} printed no READY line within 60 s`)), 60_000);
    for (const s of [child.stdout, child.stderr]) {
      if (!s) continue;
      createInterface({ input: s }).on('line', (line) => {
        process.stderr.write(`  [${tool}] ${line}\n`);
        const m = /^READY jsonrpc-agent (\S+)/.exec(line);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    }
    child.once('exit', (code) => reject(new Error(`WB_ERR_PROFILE: ${tool} exited (${code}) before the agent was ready`)));
  });
}

async function profile(tool: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<void> {
  process.stderr.write(`${tool}: starting the agent\n`);
  // Own process group, so that the SIGINT reaches the tool (which forwards it) and nothing else.
  const child = spawn(args[0]!, args.slice(1), { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await waitReady(child, tool);
    process.stderr.write(`${tool}: autocannon asap.send for ${seconds} s against ${url}\n`);
    const r = await autocannonRun({
      label: 'profile load', url: `${url}/asap`, method: 'POST', body, connections: 32, durationMs: seconds * 1000, warmupMs: 0,
      verify: (b) => checkSendText(b, 1, 'bench-profile-1', send.inputJson) === null, signal: new AbortController().signal,
    });
    process.stderr.write(`${tool}: ${Math.round(r.okPerSec * seconds)} valid replies, ${r.failed} failed ${JSON.stringify(r.failures)}\n`);
  } finally {
    try {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
    } catch {
      // already gone: its exit code below says how
    }
  }
  const code = await exited;
  process.stderr.write(`${tool}: exited ${code}\n`);
}

const tools = values.tool === 'both' ? ['0x', 'doctor'] : [values.tool ?? 'both'];
for (const t of tools) {
  if (t === '0x') {
    const dir = path.join(outDir, '0x');
    await profile('0x', [bin('0x'), '--output-dir', dir, '--output-html', path.join(dir, 'flamegraph.html'), '--', ...agentCmd], root);
  } else if (t === 'doctor') {
    const dir = path.join(outDir, 'clinic');
    mkdirSync(dir, { recursive: true });
    // NO_INSIGHT: without a TTY, clinic's usage-analytics prompt makes it exit silently before starting.
    await profile('clinic doctor', [bin('clinic'), 'doctor', '--open=false', '--dest', dir, '--', ...agentCmd], root, { NO_INSIGHT: '1' });
  } else {
    throw new Error(`WB_ERR_USAGE: --tool is 0x, doctor or both, not '${t}'`);
  }
}

const list = (d: string): string[] => (existsSync(d) ? readdirSync(d, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html')).map((f) => path.join(d, f)) : []);
const html = list(outDir);
process.stdout.write(`profiles in ${path.relative(process.cwd(), outDir) || '.'}:\n${html.map((f) => `  ${path.relative(process.cwd(), f)}`).join('\n') || '  (no HTML report was written: see the output above)'}\n`);
if (html.length < tools.length) process.exitCode = 1;
