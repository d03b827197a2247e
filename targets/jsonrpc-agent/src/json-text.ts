/**
 * JSON text → value with a nesting cap. V8's JSON.parse copes with any depth, but everything
 * after it (JSON.stringify, fast-json-stringify, ajv) recurses and would overflow the stack on a
 * deeply nested echo. Hand-written because no installed parser offers a depth limit.
 */
export const DEFAULT_MAX_JSON_DEPTH = 512;

export type JsonTextResult = { ok: true; value: unknown } | { ok: false; error: string };

const OPEN_OBJ = 123; // {
const OPEN_ARR = 91; // [
const CLOSE_OBJ = 125;
const CLOSE_ARR = 93;
const QUOTE = 34;
const BACKSLASH = 92;

/** Fast gate: a text with at most `max` opening brackets cannot nest deeper than `max`. */
function bracketsAtMost(text: string, max: number): boolean {
  let count = 0;
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) if (++count > max) return false;
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) if (++count > max) return false;
  return true;
}

/** Maximum nesting depth of (syntactically plausible) JSON text, ignoring brackets inside strings. */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJ || c === OPEN_ARR) {
      if (++depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) depth--;
  }
  return max;
}

export function parseJsonText(text: string, maxDepth: number = DEFAULT_MAX_JSON_DEPTH): JsonTextResult {
  if (!bracketsAtMost(text, maxDepth) && jsonDepth(text, maxDepth) > maxDepth) {
    return { ok: false, error: `Invalid JSON: nesting deeper than ${maxDepth} levels` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: `Invalid JSON: ${(err as Error).message}` };
  }
}
