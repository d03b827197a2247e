import { Type } from '@sinclair/typebox';
import type { Static, TSchema, TUnsafe } from '@sinclair/typebox';

/** Agent URN as enforced by the original (Manifest.id at baseline, sender/recipient from v1.0). */
export const AGENT_URN_PATTERN = '^urn:asap:agent:[a-z0-9-]+(?::[a-z0-9-]+)?$';
export const AGENT_URN_MAX_LENGTH = 256;
/** Canonical upper-case Crockford ULID; the first character caps the 48-bit timestamp. */
export const ULID_PATTERN = '^[0-7][0-9A-HJKMNP-TV-Z]{25}$';

export const AgentUrn = Type.String({ pattern: AGENT_URN_PATTERN, maxLength: AGENT_URN_MAX_LENGTH });

/**
 * `type: [T, 'null']` instead of TypeBox's `anyOf`: ajv compiles it to one typeof check and
 * fast-json-stringify serializes it without a runtime branch search (anyOf makes it validate).
 */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  const type = (schema as { type?: unknown }).type;
  if (typeof type !== 'string') throw new TypeError('Nullable() needs a schema with a single `type`');
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'] });
}

/**
 * An untyped JSON object (`dict` in the original). Plain `type: object` rather than Type.Record,
 * whose catch-all patternProperties would make ajv run a regex on every key.
 */
export const JsonObject = Type.Unsafe<Record<string, unknown>>({ type: 'object' });
/** Any JSON value. */
export const JsonValue = Type.Unknown();

/** A string enum as `enum` (one ajv check, one readable error) instead of TypeBox's anyOf of literals. */
export function StringEnum<const T extends readonly string[]>(values: T): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}
