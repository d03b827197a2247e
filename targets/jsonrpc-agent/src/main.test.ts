import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAgentArgs, parseModuleUrl } from './cli.js';
import { envelope, request } from './test-helpers.js';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

function start(file: string, args: string[]): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', here(file), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no READY line from ${file}: ${out}`)), 20_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      out += c;
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited early with ${String(code)}`));
    });
  });
  return { child, ready };
}

/** Runs a file to its exit: code and stderr. */
function runToExit(file: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', here(file), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test('main.ts: READY line with the real port, serves, drains an in-flight request on SIGTERM, exits 0', { timeout: 30_000 }, async (t) => {
  const { child, ready } = start('./main.ts', ['--port', '0', '--rate-limit', 'off', '--hooks']);
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const line = await ready;
  const m = /^READY jsonrpc-agent http:\/\/127\.0\.0\.1:(\d+)$/.exec(line);
  assert.ok(m, line);
  const port = Number(m[1]);
  assert.ok(port > 0);

  const manifest = await fetch(`http://127.0.0.1:${port}/.well-known/asap/manifest.json`);
  assert.equal(manifest.status, 200);

  // An in-flight request: headers and half the body sent, then SIGTERM, then the rest.
  const body = JSON.stringify(request());
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((r) => socket.once('connect', () => r()));
  let response = '';
  socket.setEncoding('utf8');
  socket.on('data', (c: string) => (response += c));
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  socket.write(`POST /asap HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
  socket.write(body.slice(0, 40));
  await new Promise((r) => setTimeout(r, 200));
  child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(child.exitCode, null, 'still draining');
  socket.end(body.slice(40));
  await closed;
  assert.match(response, /^HTTP\/1\.1 200 /);
  assert.match(response, /"payload_type":"task\.response"/);
  assert.equal(await exitCode(child), 0);
});

test('baseline-main.ts: READY baseline line, small JSON body, exits 0 on SIGTERM', { timeout: 30_000 }, async (t) => {
  const { child, ready } = start('./baseline-main.ts', ['--port', '0']);
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const line = await ready;
  const m = /^READY baseline (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
  assert.ok(m, line);
  const r = await fetch(`${m[1]}/`);
  assert.deepEqual(await r.json(), { hello: 'world' });
  const p = await fetch(`${m[1]}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}' });
  assert.equal(p.status, 200);
  child.kill('SIGTERM');
  assert.equal(await exitCode(child), 0);
});

test('module-main.ts with stdin of /dev/null keeps serving; main.ts --module-url uses it and leaves it running', { timeout: 30_000 }, async (t) => {
  const mod = start('./module-main.ts', ['--port', '0']);
  t.after(() => {
    if (mod.child.exitCode === null) mod.child.kill('SIGKILL');
  });
  const url = /^READY module (tcp:\/\/\S+)$/.exec(await mod.ready)?.[1];
  assert.ok(url);
  const agent = start('./main.ts', ['--port', '0', '--rate-limit', 'off', '--module-url', url]);
  t.after(() => {
    if (agent.child.exitCode === null) agent.child.kill('SIGKILL');
  });
  const port = Number(/:(\d+)$/.exec(await agent.ready)?.[1]);
  const input = { via: 'module', n: 3 };
  const res = await fetch(`http://127.0.0.1:${port}/asap`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request(envelope({ payload: { conversation_id: 'c', skill_id: 'module.echo', input } }))),
  });
  const json = (await res.json()) as { result?: { envelope: { payload: { result: { echoed: unknown } } } } };
  assert.deepEqual(json.result?.envelope.payload.result.echoed, input);

  agent.child.kill('SIGTERM');
  assert.equal(await exitCode(agent.child), 0);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(mod.child.exitCode, null, 'the module is not the agent’s to stop');
  mod.child.kill('SIGTERM');
  assert.equal(await exitCode(mod.child), 0);
});

test('--module-url: tcp://host:port or a coded error', () => {
  assert.deepEqual(parseModuleUrl('tcp://127.0.0.1:4100'), { host: '127.0.0.1', port: 4100 });
  assert.deepEqual(parseModuleUrl('tcp://[::1]:4100'), { host: '::1', port: 4100 });
  assert.equal(parseModuleUrl(undefined), null);
  for (const bad of ['127.0.0.1:4100', 'tcp://host', 'tcp://h:0', 'tcp://h:70000', 'http://h:1']) {
    assert.throws(() => parseModuleUrl(bad), (e: unknown) => (e as { code?: string }).code === 'WB_ERR_INVALID_OPTION', bad);
  }
});

test('main.ts --module-url with nothing listening: one coded line on stderr, exit 1', { timeout: 30_000 }, async () => {
  const free = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
  const r = await runToExit('./main.ts', ['--port', '0', '--module-url', `tcp://127.0.0.1:${free}`]);
  assert.equal(r.code, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] ?? '', /^jsonrpc-agent failed to start: WB_ERR_MODULE_UNAVAILABLE: Cannot reach the module at 127\.0\.0\.1:\d+: .*\. Start it first \(module-main\.ts prints its URL\)\.$/);
});

test('main.ts --module-url to a listener that is not a module: refused before READY', { timeout: 30_000 }, async (t) => {
  const mute = createServer((s) => s.on('data', () => undefined)).listen(0, '127.0.0.1');
  t.after(() => mute.close());
  await new Promise((r) => mute.once('listening', r));
  const port = (mute.address() as AddressInfo).port;
  const r = await runToExit('./main.ts', ['--port', '0', '--module-url', `tcp://127.0.0.1:${port}`]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /WB_ERR_MODULE_UNAVAILABLE: tcp:\/\/127\.0\.0\.1:\d+ did not answer an echo call/);
});

test('main.ts --module-url: the module going away mid-run ends the agent with a coded line, exit 1', { timeout: 30_000 }, async (t) => {
  const mod = start('./module-main.ts', ['--port', '0']);
  t.after(() => {
    if (mod.child.exitCode === null) mod.child.kill('SIGKILL');
  });
  const url = /^READY module (tcp:\/\/\S+)$/.exec(await mod.ready)?.[1] ?? '';
  const agent = spawn(process.execPath, ['--import', 'tsx', here('./main.ts'), '--port', '0', '--module-url', url], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    if (agent.exitCode === null) agent.kill('SIGKILL');
  });
  let stderr = '';
  agent.stderr!.setEncoding('utf8');
  agent.stderr!.on('data', (c: string) => (stderr += c));
  await new Promise<void>((resolve) => agent.stdout!.on('data', (c: Buffer) => c.toString().includes('READY') && resolve()));
  mod.child.kill('SIGKILL');
  assert.equal(await exitCode(agent), 1);
  assert.match(stderr, /WB_ERR_MODULE_UNAVAILABLE: the module at tcp:\/\/127\.0\.0\.1:\d+ closed the connection/);
});

test('--module and --module-url together are refused', () => {
  assert.throws(() => parseAgentArgs(['--module', '--module-url', 'tcp://127.0.0.1:1'], {}), (e: unknown) => (e as { code?: string }).code === 'WB_ERR_INVALID_OPTION');
  assert.throws(() => parseAgentArgs(['--module-url', 'tcp://127.0.0.1:1'], { WB_MODULE: '1' }), (e: unknown) => (e as { code?: string }).code === 'WB_ERR_INVALID_OPTION');
  assert.equal(parseAgentArgs(['--module-url', 'tcp://127.0.0.1:1'], {}).module, false);
});
