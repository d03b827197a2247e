/**
 * A throw-away workspace for the CI's own tests: nx.json, two tiny suites (a, b) whose targets
 * are separate packages holding a ten-line HTTP echo server each, and `install.mjs`, the
 * workspace's install step (what `npm ci` is to the real one): it links @wirebench/kit and nx from
 * this checkout into node_modules. Every checkout `wirebench ab` makes runs it too, so base and
 * head each run their own suites and targets with the one kit.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const KIT_BIN = path.join(ROOT, 'tools', 'kit', 'bin', 'wirebench.js');
export const INSTALL = 'node install.mjs';

export const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };

const json = (x: unknown): string => `${JSON.stringify(x, null, 2)}\n`;

const INSTALL_SCRIPT = `// This workspace's install step: links the kit and nx of the Wirebench checkout that made it.
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
const links = { '@wirebench/kit': ${JSON.stringify(path.join(ROOT, 'tools', 'kit'))}, nx: ${JSON.stringify(path.join(ROOT, 'node_modules', 'nx'))} };
mkdirSync('node_modules/@wirebench', { recursive: true });
for (const [name, to] of Object.entries(links)) {
  rmSync('node_modules/' + name, { force: true, recursive: true });
  symlinkSync(to, 'node_modules/' + name);
}
`;

const target = (name: string): string => `// Target ${name}: an HTTP echo server. DELAY_MS is what the gate's test changes.
import { createServer } from 'node:http';

const DELAY_MS = 0;

const server = createServer((_req, res) => {
  if (DELAY_MS > 0) setTimeout(() => res.end('ok'), DELAY_MS);
  else res.end('ok');
});
server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  if (a && typeof a === 'object') process.stdout.write(\`READY echo http://127.0.0.1:\${a.port}\\n\`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const suite = (name: string): string => `import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OK, closedLoop, defineScenario, defineSuite, errorOutcome } from '@wirebench/kit';

const here = path.dirname(fileURLToPath(import.meta.url));

const echo = defineScenario<{ url: string }>({
  name: 'echo',
  description: 'GET / one at a time against the echo target (closed loop: no arrival schedule for a busy machine to miss)',
  transport: 'http',
  setup: async (ctx) => {
    const t = await ctx.processes.start({ role: 'echo', script: path.join(here, '..', '..', 'targets', '${name}', 'main.ts'), ready: { line: /^READY echo (\\S+)/ } });
    return { url: t.readyMatch?.[1] ?? '' };
  },
  // node:http on one keep-alive socket, not fetch: fetch's per-request work in the generator ran
  // its event loop past the kit's 95 % saturation mark on a loaded machine, and the round was invalid.
  driver: (env) => ({
    open: () => new http.Agent({ keepAlive: true, maxSockets: 1 }),
    perform: (agent) => new Promise((resolve) => {
      const req = http.get(env.url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(res.statusCode === 200 && body === 'ok' ? OK : errorOutcome('bad_reply')));
      });
      req.on('error', () => resolve(errorOutcome('http_error')));
    }),
    close: (agent) => agent.destroy(),
  }),
  load: closedLoop({ concurrency: 1, durationMs: 600, warmupMs: 200 }),
  slo: ['errors == 0', 'lost == 0'],
});

export default defineSuite({ name: '${name}', description: 'fixture suite ${name}', transport: 'http', scenarios: [echo] });
`;

/** Writes the fixture workspace into a new temp folder, installs it and commits it as the first commit. */
export function makeFixture(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wb-ci-'));
  const files: Record<string, string> = {
    'package.json': json({ name: 'ab-fixture', private: true, type: 'module', workspaces: ['targets/*', 'suites/*'] }),
    'nx.json': json({
      neverConnectToCloud: true,
      analytics: false,
      useDaemonProcess: false,
      namedInputs: { default: ['{projectRoot}/**/*', '!{projectRoot}/**/*.md'] },
      targetDefaults: { bench: { cache: false, executor: 'nx:run-commands', options: { command: 'wirebench bench {projectRoot}', cwd: '{workspaceRoot}' } } },
    }),
    '.gitignore': 'node_modules/\ntmp/\nresults/\n.nx/\n',
    'README.md': '# CI fixture\n',
    'install.mjs': INSTALL_SCRIPT,
  };
  for (const n of ['a', 'b']) {
    files[`targets/${n}/package.json`] = json({ name: `@fx/target-${n}`, version: '0.0.0', private: true, type: 'module', nx: { name: `target-${n}` } });
    files[`targets/${n}/main.ts`] = target(n);
    files[`suites/${n}/package.json`] = json({
      name: `@fx/suite-${n}`, version: '0.0.0', private: true, type: 'module',
      dependencies: { '@wirebench/kit': '*', [`@fx/target-${n}`]: '*' },
      nx: { name: `suite-${n}`, targets: { bench: {} } },
      wirebench: { suite: './suite.ts' },
    });
    files[`suites/${n}/suite.ts`] = suite(n);
  }
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  git(dir, ['init', '-q', '-b', 'main']);
  execFileSync(process.execPath, ['install.mjs'], { cwd: dir });
  commitAll(dir, 'base');
  return dir;
}

export function git(dir: string, args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function commitAll(dir: string, message: string): void {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', message]);
}

/** Replaces `from` by `to` in a fixture file and commits it. */
export function change(dir: string, file: string, from: string, to: string, message: string): void {
  const p = path.join(dir, file);
  const text = readFileSync(p, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
  writeFileSync(p, text.replace(from, to));
  commitAll(dir, message);
}
