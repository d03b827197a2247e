/**
 * Bodies are read as the original reads them (`json.loads(msg.data.decode())`): strict UTF-8, a
 * leading BOM refused, and the JSON must be an object (the handlers call `data.get`).
 */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type Decoded = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

export function decodeBody(data: Uint8Array): Decoded {
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return { ok: false, reason: 'body is not valid UTF-8' };
  }
  if (text.charCodeAt(0) === 0xfeff) return { ok: false, reason: 'body starts with a byte order mark' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `invalid JSON (${(err as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'body is not a JSON object' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
