import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseModuleUrl } from './cli.js';
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
