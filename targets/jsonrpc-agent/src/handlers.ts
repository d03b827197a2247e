import { AgentError } from './errors.js';
import { newTaskId, newUlid } from './ids.js';
import type { ModuleClient } from './module/client.js';
import { isTaskRequest, taskRequestErrors } from './payloads.js';
import type { Envelope } from './schemas/envelope.js';
import type { Manifest } from './schemas/manifest.js';
import { nowIso } from './timestamp.js';

export interface HandlerContext {
  readonly manifest: Manifest;
  /** Client of the module process, when the agent was given one. */
  readonly module: ModuleClient | null;
}

/** Turns a request envelope into a reply envelope; throwing answers -32603. */
export type Handler = (envelope: Envelope, ctx: HandlerContext) => Envelope | Promise<Envelope>;

/** payload_type → handler, matched exactly (the original's HandlerRegistry). */
export class HandlerRegistry {
  private readonly handlers = new Map<string, Handler>();

  register(payloadType: string, handler: Handler): this {
    this.handlers.set(payloadType, handler);
    return this;
  }

  has(payloadType: string): boolean {
    return this.handlers.has(payloadType);
  }

  get(payloadType: string): Handler | undefined {
    return this.handlers.get(payloadType);
  }

  types(): string[] {
    return [...this.handlers.keys()];
  }
}

/** Skill routed to the module process by the echo handler ("e2e with module"). */
export const MODULE_ECHO_SKILL = 'module.echo';

/** The spec's reply to a task.request: task.response addressed back, correlated to the request id. */
export function buildEchoReply(request: Envelope, manifest: Manifest, echoed: unknown): Envelope {
  return {
    id: newUlid(),
    asap_version: request.asap_version,
    timestamp: nowIso(),
    sender: manifest.id,
    recipient: request.sender,
    payload_type: 'task.response',
    payload: { task_id: newTaskId(), status: 'completed', result: { echoed }, final_state: null, metrics: null },
    correlation_id: request.id,
    trace_id: request.trace_id,
    extensions: null,
  };
}

/**
 * The echo skill. Skill `module.echo` makes the round trip through the module process first;
 * every other skill id is echoed locally, as in the original.
 */
export function createEchoHandler(): Handler {
  return (envelope, ctx) => {
    const payload = envelope.payload;
    if (!isTaskRequest(payload)) {
      const errs = taskRequestErrors();
      throw new AgentError('WB_ERR_INVALID_PAYLOAD', `Payload is not a valid TaskRequest: ${errs.map((e) => `${e.loc.join('.')}: ${e.msg}`).join('; ')}`, errs);
    }
    if (payload.skill_id === MODULE_ECHO_SKILL) {
      const module = ctx.module;
      if (module === null) {
        throw new AgentError('WB_ERR_MODULE_UNAVAILABLE', `Skill '${MODULE_ECHO_SKILL}' needs a module and this agent has none`, undefined, {
          hint: 'Start the agent with --module, or --module-url tcp://host:port of a running module-main.ts.',
        });
      }
      return module.call('echo', payload.input).then((echoed) => buildEchoReply(envelope, ctx.manifest, echoed));
    }
    return buildEchoReply(envelope, ctx.manifest, payload.input);
  };
}

/** The original's default registry: only `task.request`, handled by echo. */
export function createDefaultRegistry(): HandlerRegistry {
  return new HandlerRegistry().register('task.request', createEchoHandler());
}
