/** The targets this suite starts, declared: the kit resolves the package and the main. */
import { target, type ScenarioContext, type TargetDecl } from '@wirebench/kit';

const PACKAGE = '@wirebench/jsonrpc-agent';

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
  /** `tcp://host:port` of a module process (moduleTarget). */
  moduleUrl?: string;
  role?: string;
  /** Heap after GC needs a GC the kit's probe can force: `--expose-gc` plus WIREBENCH_PROBE_GC=1. */
  probeGc?: boolean;
}

/**
 * The original's default rate limit is 100/minute per client IP: every load here comes from one IP
 * (127.0.0.1), so it would answer 429 after the first hundred requests and the suite would measure
 * the limiter. `--rate-limit off` is passed explicitly so the figures are the agent's own.
 */
export function agentArgs(cfg: AgentConfig = {}): string[] {
  return ['--port', '0', '--rate-limit', 'off', ...(cfg.hooks ? ['--hooks'] : []), ...(cfg.moduleUrl ? ['--module-url', cfg.moduleUrl] : [])];
}

export const agentTarget = (cfg: AgentConfig = {}): TargetDecl => ({
  package: PACKAGE,
  main: 'src/main.ts',
  role: cfg.role ?? 'agent',
  args: agentArgs(cfg),
  ready: { line: /^READY jsonrpc-agent (\S+)/ },
  readyTimeoutMs: 60_000,
  ...(cfg.probeGc ? { nodeArgs: ['--expose-gc'], env: { WIREBENCH_PROBE_GC: '1' } } : {}),
});

/** The bare fastify 5 server: `/` answers `{"hello":"world"}` to GET and to POST (JSON body parsed, ignored). */
export const baselineTarget = (): TargetDecl => ({
  package: PACKAGE,
  main: 'src/baseline-main.ts',
  role: 'baseline',
  args: ['--port', '0'],
  ready: { line: /^READY baseline (\S+)/ },
  readyTimeoutMs: 60_000,
});

/**
 * The module process as a target of its own rather than the agent's child (`--module`): the kit
 * then compiles it like the agent, pins it with the targets, and samples its CPU and memory.
 */
export const moduleTarget = (): TargetDecl => ({
  package: PACKAGE,
  main: 'src/module-main.ts',
  role: 'module',
  args: ['--port', '0'],
  ready: { line: /^READY module (tcp:\/\/\S+)/ },
  readyTimeoutMs: 60_000,
});

/** Starts a declared target and returns the URL its READY line names. */
export async function startUrl(ctx: ScenarioContext, decl: TargetDecl): Promise<string> {
  const t = await ctx.processes.start(target(decl));
  const url = t.readyMatch?.[1];
  if (!url) throw new Error(`${decl.role} (pid ${t.pid}) was ready without a URL in its READY line`);
  return url;
}
