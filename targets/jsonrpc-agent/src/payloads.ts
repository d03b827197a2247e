import type { ValidateFunction } from 'ajv';
import { ajv, formatAjvErrors } from './ajv.js';
import type { ValidationErrorItem } from './ajv.js';
import { PAYLOAD_SCHEMAS } from './schemas/payloads.js';
import type { PayloadName, TaskRequestPayload } from './schemas/payloads.js';

const compiled = Object.fromEntries(
  Object.entries(PAYLOAD_SCHEMAS).map(([name, schema]) => [name, ajv.compile(schema)]),
) as Record<PayloadName, ValidateFunction>;

export type PayloadCheck = { ok: true } | { ok: false; errors: ValidationErrorItem[] };

/** Validate a payload against one of the spec's payload models (compiled once at load). */
export function validatePayload(name: PayloadName, payload: unknown): PayloadCheck {
  const v = compiled[name];
  if (v === undefined) throw new TypeError(`Unknown payload model '${String(name)}'; use one of ${Object.keys(compiled).join(', ')}`);
  return v(payload) ? { ok: true } : { ok: false, errors: formatAjvErrors(v.errors) };
}

const taskRequest = compiled.TaskRequest;
export function isTaskRequest(payload: unknown): payload is TaskRequestPayload {
  return taskRequest(payload);
}
export function taskRequestErrors(): ValidationErrorItem[] {
  return formatAjvErrors(taskRequest.errors);
}

export const PAYLOAD_NAMES = Object.keys(PAYLOAD_SCHEMAS) as PayloadName[];
