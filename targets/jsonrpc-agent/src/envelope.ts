import fastJson from 'fast-json-stringify';
import { compilePair } from './ajv.js';
import type { ValidationErrorItem } from './ajv.js';
import { AgentError } from './errors.js';
import { newUlid } from './ids.js';
import { parseJsonText } from './json-text.js';
import {
  CORRELATION_REQUIRED_TYPES,
  envelopeInputSchema,
  envelopeOutputSchema,
} from './schemas/envelope.js';
import type { Envelope, EnvelopeInput, EnvelopeSchemaOptions } from './schemas/envelope.js';
import { normalizeTimestamp, nowIso } from './timestamp.js';

export const ASAP_PROTOCOL_VERSION = '0.1';

const DEFAULT_SCHEMA_OPTIONS: EnvelopeSchemaOptions = { strictUrns: true, strictIds: false };

// Compiled once per variant (at most four) and reused for every envelope.
type Pair = ReturnType<typeof compilePair>;
const validators = new Map<string, Pair>();
function validatorFor(o: EnvelopeSchemaOptions): Pair {
  const key = `${o.strictUrns ? 1 : 0}${o.strictIds ? 1 : 0}`;
  let v = validators.get(key);
  if (v === undefined) {
    v = compilePair(envelopeInputSchema(o));
    validators.set(key, v);
  }
  return v;
}
validatorFor(DEFAULT_SCHEMA_OPTIONS);

const stringifyEnvelope = fastJson(envelopeOutputSchema as Parameters<typeof fastJson>[0]) as (e: Envelope) => string;

export type EnvelopeCheck =
  | { ok: true; envelope: Envelope }
  | { ok: false; errors: ValidationErrorItem[] };

/**
 * Validate an untrusted value as an envelope and fill its defaults (new ULID id, current
 * timestamp, nulls). Returns a fresh object in wire key order; the input is not modified.
 */
export function validateEnvelope(value: unknown, options: EnvelopeSchemaOptions = DEFAULT_SCHEMA_OPTIONS): EnvelopeCheck {
  const validate = validatorFor(options);
  if (!validate.check(value)) return { ok: false, errors: validate.errors(value) };
  const e = value as EnvelopeInput;
  // Absent, null or "" (the original's `not self.correlation_id`).
  if (CORRELATION_REQUIRED_TYPES.has(e.payload_type) && !e.correlation_id) {
    return {
      ok: false,
      errors: [
        {
          type: 'value_error',
          loc: [],
          msg: `Value error, ${e.payload_type} must have correlation_id for request tracking`,
        },
      ],
    };
  }
  return {
    ok: true,
    envelope: {
      id: e.id ?? newUlid(),
      asap_version: e.asap_version,
      timestamp: e.timestamp === undefined || e.timestamp === null ? nowIso() : normalizeTimestamp(e.timestamp),
      sender: e.sender,
      recipient: e.recipient,
      payload_type: e.payload_type,
      payload: e.payload,
      correlation_id: e.correlation_id ?? null,
      trace_id: e.trace_id ?? null,
      extensions: e.extensions ?? null,
    },
  };
}

function invalid(errors: ValidationErrorItem[]): AgentError {
  return new AgentError(
    'WB_ERR_INVALID_ENVELOPE',
    `Invalid envelope structure: ${errors.map((x) => `${x.loc.join('.') || '(root)'}: ${x.msg}`).join('; ')}`,
    errors,
  );
}

// Explicit construction instead of `{ ...init, asap_version }`: the spread made a differently shaped
// object that sent the compiled validator down a slow path (about 4x slower creation).
function withVersion(init: Omit<EnvelopeInput, 'asap_version'>): EnvelopeInput {
  const out: EnvelopeInput = {
    asap_version: ASAP_PROTOCOL_VERSION,
    sender: init.sender,
    recipient: init.recipient,
    payload_type: init.payload_type,
    payload: init.payload,
  };
  for (const k of Object.keys(init) as Array<keyof typeof init>) {
    if (!(k in out)) (out as Record<string, unknown>)[k] = init[k];
  }
  return out;
}

/** Build a validated envelope with generated id/timestamp (asap_version defaults to "0.1"). Throws WB_ERR_INVALID_ENVELOPE. */
export function createEnvelope(
  init: Omit<EnvelopeInput, 'asap_version'> & { asap_version?: string },
  options?: EnvelopeSchemaOptions,
): Envelope {
  if (init.asap_version === undefined) init = withVersion(init);
  const r = validateEnvelope(init, options);
  if (!r.ok) throw invalid(r.errors);
  return r.envelope;
}

/** Serialize a complete envelope with the compiled fast-json-stringify serializer (wire key order). */
export function serializeEnvelope(envelope: Envelope): string {
  return stringifyEnvelope(envelope);
}

/** Parse JSON text (nesting-depth capped) and validate it as an envelope. Throws WB_ERR_INVALID_ENVELOPE. */
export function parseAndValidateEnvelope(text: string, options?: EnvelopeSchemaOptions): Envelope {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    throw new AgentError('WB_ERR_INVALID_ENVELOPE', parsed.error, undefined, { hint: 'Send one well-formed JSON object.' });
  }
  const r = validateEnvelope(parsed.value, options);
  if (!r.ok) throw invalid(r.errors);
  return r.envelope;
}

export type { Envelope, EnvelopeInput, EnvelopeSchemaOptions };
