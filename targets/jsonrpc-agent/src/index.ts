export { buildAgent, ASAP_PATH, MANIFEST_PATH, METRICS_PATH } from './agent.js';
export { DEFAULTS, resolveOptions } from './options.js';
export type { AgentOptions, RateLimitOptions, ResolvedOptions, TokenValidator } from './options.js';
export {
  ASAP_PROTOCOL_VERSION,
  createEnvelope,
  parseAndValidateEnvelope,
  serializeEnvelope,
  validateEnvelope,
} from './envelope.js';
export type { Envelope, EnvelopeCheck, EnvelopeInput, EnvelopeSchemaOptions } from './envelope.js';
export { validatePayload, PAYLOAD_NAMES } from './payloads.js';
export type { PayloadCheck } from './payloads.js';
export { PAYLOAD_SCHEMAS, TASK_STATUSES, TERMINAL_STATUSES } from './schemas/payloads.js';
export type { PayloadName, TaskRequestPayload, TaskResponsePayload } from './schemas/payloads.js';
export { AGENT_URN_PATTERN, AGENT_URN_MAX_LENGTH, ULID_PATTERN } from './schemas/common.js';
export { CORRELATION_REQUIRED_TYPES } from './schemas/envelope.js';
export { DEFAULT_MANIFEST, normalizeManifest, serializeManifest } from './manifest.js';
export type { Manifest, ManifestInput } from './manifest.js';
export { newUlid, newTaskId } from './ids.js';
export { nowIso, parseTimestampMs, checkTimestampWindow } from './timestamp.js';
export type { TimestampWindow } from './timestamp.js';
export { parseJsonText, jsonDepth, DEFAULT_MAX_JSON_DEPTH } from './json-text.js';
export { HandlerRegistry, createDefaultRegistry, createEchoHandler, buildEchoReply, MODULE_ECHO_SKILL } from './handlers.js';
export type { Handler, HandlerContext } from './handlers.js';
export { runHooks, withTimeout, createBenchHooks, DEFAULT_HOOK_TIMEOUT_MS } from './hooks.js';
export type { Hook, HookContext, HooksConfig } from './hooks.js';
export { ModuleClient } from './module/client.js';
export type { ModuleClientOptions } from './module/client.js';
export { createModuleServer, DEFAULT_MODULE_METHODS } from './module/server.js';
export { startModuleProcess } from './module/process.js';
export type { ModuleProcess, StartModuleOptions } from './module/process.js';
export { NonceStore } from './nonce-store.js';
export { AgentMetrics, METRICS_CONTENT_TYPE, DURATION_BUCKETS } from './metrics.js';
export { stringifySuccess, stringifyError } from './rpc-serializers.js';
export { AgentError, AGENT_ERROR_HINTS } from './errors.js';
export type { AgentErrorCode } from './errors.js';
export { parseAgentArgs } from './cli.js';
export type { AgentCliConfig } from './cli.js';
