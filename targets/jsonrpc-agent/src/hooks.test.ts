import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AgentError, buildAgent, createBenchHooks, withTimeout } from './index.js';
import type { Hook } from './index.js';
import { envelope, post, request } from './test-helpers.js';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('before hooks run before the handler, after hooks see the reply, state is shared', async () => {
  const seen: string[] = [];
  const before: Hook[] = [
    { name: 'sync', run: (ctx) => void seen.push(`before-sync:${ctx.response === null}`) },
    { name: 'async', run: async (ctx) => void (ctx.state.mark = 'm') },
  ];
  const after: Hook[] = [{ name: 'after', run: async (ctx) => void seen.push(`after:${ctx.response?.payload_type}:${String(ctx.state.mark)}`) }];
  const app = buildAgent({ rateLimit: false, hooks: { before, after } });
  try {
    const r = await post(app, request());
    assert.equal(r.json.result.envelope.payload_type, 'task.response');
    assert.deepEqual(seen, ['before-sync:true', 'after:task.response:m']);
  } finally {
    await app.close();
  }
});

test('a hook that throws or times out answers -32603 and the agent keeps serving', async () => {
  let slowTimer: NodeJS.Timeout | undefined;
  const app = buildAgent({
    rateLimit: false,
    hooks: {
      before: [
        {
          name: 'maybe-slow',
          timeoutMs: 50,
          run: (ctx) => {
            if (ctx.request.payload.skill_id === 'throw') throw new Error('boom');
            if (ctx.request.payload.skill_id !== 'slow') return undefined;
            return new Promise<void>((resolve) => (slowTimer = setTimeout(resolve, 2000)));
          },
        },
      ],
    },
    debug: true,
  });
  try {
    const slow = await post(app, request(envelope({ payload: { conversation_id: 'c', skill_id: 'slow', input: {} } })));
    assert.equal(slow.json.error.code, -32603);
    assert.match(slow.json.error.data.error, /Hook 'maybe-slow' did not finish within 50 ms/);
    const thrown = await post(app, request(envelope({ payload: { conversation_id: 'c', skill_id: 'throw', input: {} } })));
    assert.match(thrown.json.error.data.error, /Hook 'maybe-slow' threw: boom/);
    assert.equal((await post(app, request())).status, 200);
  } finally {
    clearTimeout(slowTimer);
    await app.close();
  }
});

test('hook timeouts never leak timers (1000 requests through async hooks)', async () => {
  const hooks = createBenchHooks({ timeoutMs: 10_000 });
  const app = buildAgent({ rateLimit: false, hooks });
  try {
    await post(app, request());
    const baseline = timers();
    for (let i = 0; i < 100; i++) await Promise.all(Array.from({ length: 10 }, () => post(app, request())));
    assert.equal(hooks.stats.completed, 1001);
    assert.ok(timers() <= baseline, `timers grew from ${baseline} to ${timers()}`);
  } finally {
    await app.close();
  }
});

test('withTimeout clears its timer on success, failure and timeout', async () => {
  const base = timers();
  assert.equal(await withTimeout(Promise.resolve(1), 60_000, () => new Error('t')), 1);
  await assert.rejects(withTimeout(Promise.reject(new Error('x')), 60_000, () => new Error('t')), /x/);
  let t: NodeJS.Timeout | undefined;
  const never = new Promise<void>((r) => (t = setTimeout(r, 60_000)));
  await assert.rejects(
    withTimeout(never, 10, () => new AgentError('WB_ERR_HOOK_TIMEOUT', 'late')),
    (e: unknown) => e instanceof AgentError && e.code === 'WB_ERR_HOOK_TIMEOUT',
  );
  clearTimeout(t);
  assert.equal(timers(), base);
});
