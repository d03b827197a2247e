/** Starting the agent and the bare-fastify baseline as child processes through the kit. */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ScenarioContext, Target, TargetSpec } from '@wirebench/kit';

// The target package's directory, found through the workspace link rather than a relative path.
const require = createRequire(import.meta.url);
export const AGENT_DIR = path.dirname(path.dirname(require.resolve('@wirebench/jsonrpc-agent')));
export const AGENT_MAIN = path.join(AGENT_DIR, 'src', 'main.ts');
export const BASELINE_MAIN = path.join(AGENT_DIR, 'src', 'baseline-main.ts');
export const MODULE_MAIN = path.join(AGENT_DIR, 'src', 'module-main.ts');

/**
 * The generator on CPU 0, the agent (and its module process) on CPU 1. Sharing both cores, the
 * generator fell behind its schedule whenever the agent was busy (13–16% late sends at half-max,
 * so invalid): that is the generator's lag, not the agent's latency. Pinned, the agent also has a
 * fixed, stated budget of one core. Not for the autocannon scenarios: one autocannon thread saturates
 * on the bare GET route when the server has a CPU of its own.
 */
export const CPU_PLAN = { generator: [0], targets: [1] };

export interface AgentConfig {
  hooks?: boolean;
  /** `tcp://host:port` of a module process started with startModule. */
  moduleUrl?: string;
}

/**
 * The original's default rate limit is 100/minute per client IP: every load here comes from one IP
 * (127.0.0.1), so it would answer 429 after the first hundred requests and the suite would measure
 * the limiter. `--rate-limit off` is passed explicitly so the figures are the agent's own.
 */
export function agentArgs(cfg: AgentConfig = {}): string[] {
  return ['--port', '0', '--rate-limit', 'off', ...(cfg.hooks ? ['--hooks'] : []), ...(cfg.moduleUrl ? ['--module-url', cfg.moduleUrl] : [])];
}

export async function startAgent(ctx: ScenarioContext, cfg: AgentConfig = {}, role = 'agent', extra: Pick<TargetSpec, 'nodeArgs' | 'env'> = {}): Promise<{ url: string; target: Target }> {
  const target = await ctx.processes.start({
    ...extra,
    role,
    script: AGENT_MAIN,
    args: agentArgs(cfg),
    ready: { line: /^READY jsonrpc-agent (\S+)/ },
    readyTimeoutMs: 60_000,
  });
  return { url: target.readyMatch?.[1] ?? '', target };
}

/**
 * The module process as a target of its own rather than the agent's child (`--module`): the kit
 * then compiles it like the agent, pins it with the targets, and samples its CPU and memory.
 */
export async function startModule(ctx: ScenarioContext): Promise<{ url: string; target: Target }> {
  const target = await ctx.processes.start({
    role: 'module',
    script: MODULE_MAIN,
    args: ['--port', '0'],
    ready: { line: /^READY module (tcp:\/\/\S+)/ },
    readyTimeoutMs: 60_000,
  });
  const url = target.readyMatch?.[1];
  if (!url) throw new Error(`module target ${target.pid} was ready without a URL in its READY line`);
  return { url, target };
}

export async function startBaseline(ctx: ScenarioContext): Promise<{ url: string; target: Target }> {
  const target = await ctx.processes.start({
    role: 'baseline',
    script: BASELINE_MAIN,
    args: ['--port', '0'],
    ready: { line: /^READY baseline (\S+)/ },
    readyTimeoutMs: 60_000,
  });
  return { url: target.readyMatch?.[1] ?? '', target };
}
