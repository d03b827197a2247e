import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { PEP440 } from './schemas/manifest.js';
import { parseTimestampMs } from './timestamp.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped once more.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  instance: Ajv,
  formats: string[],
) => Ajv;

function makeAjv(allErrors: boolean): Ajv {
  // unicodeRegExp:false drops the slower `u` flag; every pattern of the package is ASCII.
  const a = new Ajv({ allErrors, allowUnionTypes: true, strict: true, unicodeRegExp: false });
  addFormats(a, ['uri']);
  a.addFormat('pep440', { type: 'string', validate: (s: string) => PEP440.test(s) });
  a.addFormat('asap-datetime', { type: 'string', validate: (s: string) => !Number.isNaN(parseTimestampMs(s)) });
  return a;
}

/** Stops at the first error: used on the hot path to accept valid input as fast as possible. */
export const ajvFast = makeAjv(false);
/** Collects every error: only run once the fast validator said no, to report the full list. */
export const ajv = makeAjv(true);

/** A validator pair: fast accept, full error list on rejection. */
export function compilePair(schema: object): { check: (v: unknown) => boolean; errors: (v: unknown) => ValidationErrorItem[] } {
  const fast = ajvFast.compile(schema);
  const full = ajv.compile(schema);
  return {
    check: (v) => fast(v) as boolean,
    errors: (v) => {
      full(v);
      return formatAjvErrors(full.errors);
    },
  };
}

/** A validation error in the shape of the original's pydantic `errors()` entries (without `input`). */
export interface ValidationErrorItem {
  type: string;
  loc: Array<string | number>;
  msg: string;
}

function locOf(e: ErrorObject): Array<string | number> {
  const loc: Array<string | number> = [];
  if (e.instancePath) {
    for (const part of e.instancePath.slice(1).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      loc.push(/^\d+$/.test(key) ? Number(key) : key);
    }
  }
  return loc;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'string_type',
  number: 'float_type',
  integer: 'int_type',
  boolean: 'bool_type',
  object: 'dict_type',
  array: 'list_type',
  null: 'none_required',
};

function typeMsg(expected: string): string {
  const first = expected.split(',')[0] ?? expected;
  switch (first) {
    case 'object':
      return 'Input should be a valid dictionary';
    case 'array':
      return 'Input should be a valid list';
    case 'integer':
      return 'Input should be a valid integer';
    case 'number':
      return 'Input should be a valid number';
    case 'boolean':
      return 'Input should be a valid boolean';
    case 'null':
      return 'Input should be None';
    default:
      return 'Input should be a valid string';
  }
}

/** Translate ajv errors into pydantic-like items; `if` wrappers are dropped (their branch errors carry the detail). */
export function formatAjvErrors(errors: ErrorObject[] | null | undefined): ValidationErrorItem[] {
  const out: ValidationErrorItem[] = [];
  for (const e of errors ?? []) {
    const loc = locOf(e);
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'if':
        continue;
      case 'required':
        out.push({ type: 'missing', loc: [...loc, String(p.missingProperty)], msg: 'Field required' });
        break;
      case 'additionalProperties':
        out.push({ type: 'extra_forbidden', loc: [...loc, String(p.additionalProperty)], msg: 'Extra inputs are not permitted' });
        break;
      case 'type': {
        const expected = String(p.type);
        out.push({ type: TYPE_NAMES[expected.split(',')[0] ?? ''] ?? 'type_error', loc, msg: typeMsg(expected) });
        break;
      }
      case 'pattern':
        out.push({ type: 'string_pattern_mismatch', loc, msg: `String should match pattern '${String(p.pattern)}'` });
        break;
      case 'maxLength':
        out.push({ type: 'string_too_long', loc, msg: `String should have at most ${String(p.limit)} characters` });
        break;
      case 'const':
      case 'enum':
        out.push({ type: 'literal_error', loc, msg: `Input should be ${JSON.stringify(p.allowedValue ?? p.allowedValues)}` });
        break;
      case 'format':
        out.push({
          type: p.format === 'asap-datetime' ? 'datetime_from_date_parsing' : 'value_error',
          loc,
          msg: p.format === 'asap-datetime' ? 'Input should be a valid datetime' : `Value error, must match format '${String(p.format)}'`,
        });
        break;
      case 'minimum':
      case 'maximum':
        out.push({
          type: e.keyword === 'minimum' ? 'greater_than_equal' : 'less_than_equal',
          loc,
          msg: `Input should be ${e.keyword === 'minimum' ? 'greater' : 'less'} than or equal to ${String(p.limit)}`,
        });
        break;
      default:
        out.push({ type: 'value_error', loc, msg: `Value error, ${e.message ?? e.keyword}` });
    }
  }
  return out;
}
