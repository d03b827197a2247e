import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { AgentUrn, JsonObject, Nullable, ULID_PATTERN } from './common.js';

/** payload_type values (matched exactly) whose envelopes must carry a correlation_id. */
export const CORRELATION_REQUIRED_TYPES: ReadonlySet<string> = new Set([
  'TaskResponse',
  'McpToolResult',
  'McpResourceData',
]);

export interface EnvelopeSchemaOptions {
  /** Enforce the agent URN pattern on sender/recipient (HEAD behaviour; baseline accepts any string). */
  strictUrns: boolean;
  /** Require a supplied `id` to be a ULID (baseline does not format-check supplied ids). */
  strictIds: boolean;
}

/** Incoming envelope: defaults (id, timestamp, nulls) are filled in after validation. */
export function envelopeInputSchema(o: EnvelopeSchemaOptions) {
  const agent = o.strictUrns ? AgentUrn : Type.String();
  const id = o.strictIds ? Type.String({ pattern: ULID_PATTERN }) : Type.String();
  return Type.Object(
    {
      id: Type.Optional(Nullable(id)),
      asap_version: Type.String(),
      timestamp: Type.Optional(Nullable(Type.String({ format: 'asap-datetime' }))),
      sender: agent,
      recipient: agent,
      payload_type: Type.String(),
      payload: JsonObject,
      correlation_id: Type.Optional(Nullable(Type.String())),
      trace_id: Type.Optional(Nullable(Type.String())),
      extensions: Type.Optional(Nullable(JsonObject)),
    },
    { additionalProperties: false },
  );
}

/** Input accepted by createEnvelope / the wire (before defaults). */
export type EnvelopeInput = Static<ReturnType<typeof envelopeInputSchema>>;

/** A complete envelope, every field present, in wire key order. */
export interface Envelope {
  id: string;
  asap_version: string;
  timestamp: string;
  sender: string;
  recipient: string;
  payload_type: string;
  payload: Record<string, unknown>;
  correlation_id: string | null;
  trace_id: string | null;
  extensions: Record<string, unknown> | null;
}

/** Output schema for fast-json-stringify; key order here is the wire order. */
export const envelopeOutputSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    asap_version: { type: 'string' },
    timestamp: { type: 'string' },
    sender: { type: 'string' },
    recipient: { type: 'string' },
    payload_type: { type: 'string' },
    // Untyped on output: validated on the way in, and `{}` lets the serializer hand the whole
    // subtree to one JSON.stringify call instead of walking its keys.
    payload: {},
    correlation_id: { type: ['string', 'null'] },
    trace_id: { type: ['string', 'null'] },
    extensions: {},
  },
  required: [
    'id', 'asap_version', 'timestamp', 'sender', 'recipient', 'payload_type', 'payload',
    'correlation_id', 'trace_id', 'extensions',
  ],
};
