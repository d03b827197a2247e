import { Type } from '@sinclair/typebox';
import type { Static, TSchema } from '@sinclair/typebox';
import { JsonObject, JsonValue, Nullable, StringEnum } from './common.js';

/** Payload models of the baseline. Every model rejects extra fields, optional ones default to null. */

export const TASK_STATUSES = ['submitted', 'working', 'completed', 'failed', 'cancelled', 'input_required'] as const;
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);
const TaskStatus = StringEnum(TASK_STATUSES);

const opt = <T extends TSchema>(s: T) => Type.Optional(Nullable(s));
const closed = { additionalProperties: false } as const;

export const TaskRequest = Type.Object(
  {
    conversation_id: Type.String(),
    parent_task_id: opt(Type.String()),
    skill_id: Type.String(),
    input: JsonObject,
    config: opt(JsonObject),
  },
  closed,
);

export const TaskResponse = Type.Object(
  {
    task_id: Type.String(),
    status: TaskStatus,
    result: opt(JsonObject),
    final_state: opt(JsonObject),
    metrics: opt(JsonObject),
  },
  closed,
);

/** progress.percent, when present, must be a number in 0–100 (other progress keys are free). */
const Progress = Type.Object({ percent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })) });

export const TaskUpdate = Type.Object(
  {
    task_id: Type.String(),
    update_type: StringEnum(['progress', 'input_required', 'status_change'] as const),
    status: TaskStatus,
    progress: opt(Progress),
    input_request: opt(JsonObject),
  },
  closed,
);

export const TaskCancel = Type.Object({ task_id: Type.String(), reason: opt(Type.String()) }, closed);

export const MessageSend = Type.Object(
  {
    task_id: Type.String(),
    message_id: Type.String(),
    sender: Type.String(),
    role: StringEnum(['user', 'assistant', 'system'] as const),
    parts: Type.Array(Type.String()),
  },
  closed,
);

export const StateQuery = Type.Object({ task_id: Type.String(), version: opt(Type.Integer()) }, closed);
export const StateRestore = Type.Object({ task_id: Type.String(), snapshot_id: Type.String() }, closed);
export const ArtifactNotify = Type.Object(
  { artifact_id: Type.String(), task_id: Type.String(), name: opt(Type.String()) },
  closed,
);

export const McpToolCall = Type.Object(
  { request_id: Type.String(), tool_name: Type.String(), arguments: JsonObject, mcp_context: opt(JsonObject) },
  closed,
);

/** success ⇒ result set and error null; failure ⇒ error set and result null. */
export const McpToolResult = Type.Object(
  {
    request_id: Type.String(),
    success: Type.Boolean(),
    result: Type.Optional(JsonValue),
    error: opt(Type.String()),
  },
  {
    ...closed,
    if: { properties: { success: { const: true } } },
    then: {
      required: ['result'],
      properties: { result: { not: { type: 'null' } }, error: { type: 'null' } },
    },
    else: {
      required: ['error'],
      properties: { error: { type: 'string' }, result: { type: 'null' } },
    },
  },
);

export const McpResourceFetch = Type.Object({ resource_uri: Type.String() }, closed);
export const McpResourceData = Type.Object({ resource_uri: Type.String(), content: JsonObject }, closed);

export const PAYLOAD_SCHEMAS = {
  TaskRequest,
  TaskResponse,
  TaskUpdate,
  TaskCancel,
  MessageSend,
  StateQuery,
  StateRestore,
  ArtifactNotify,
  McpToolCall,
  McpToolResult,
  McpResourceFetch,
  McpResourceData,
} as const;

export type PayloadName = keyof typeof PAYLOAD_SCHEMAS;
export type TaskRequestPayload = Static<typeof TaskRequest>;
export type TaskResponsePayload = Static<typeof TaskResponse>;
