/**
 * Timestamps: ISO-8601 in, ISO-8601 UTC ending in `Z` out. A value without an offset ("naive")
 * is read as UTC, as the original does when it checks the age; JS Date would read it as local time.
 */
const ISO_RE = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/** The canonical form (what every client in practice sends) parses with one Date.parse. */
const CANONICAL_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

function dayExists(year: number, month: number, day: number): boolean {
  if (day <= 28) return true;
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCMonth() === month - 1;
}

// Validation and the window check parse the same string back to back; remember the last one.
let lastText = '';
let lastMs = NaN;

/** Epoch milliseconds, or NaN when the text is not an ISO-8601 date-time. */
export function parseTimestampMs(text: string): number {
  if (text === lastText) return lastMs;
  const ms = parseUncached(text);
  lastText = text;
  lastMs = ms;
  return ms;
}

function digits2(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + (text.charCodeAt(at + 1) - 48);
}

function parseUncached(text: string): number {
  if (CANONICAL_RE.test(text)) {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) return NaN;
    // Date.parse rolls 2026-02-30 over to March; reject days that do not exist.
    return dayExists(Number(text.slice(0, 4)), digits2(text, 5), digits2(text, 8)) ? ms : NaN;
  }
  const m = ISO_RE.exec(text);
  if (m === null) return NaN;
  let time = m[2] as string;
  if (time.length === 5) time += ':00';
  time = time.replace(',', '.');
  // Date.parse keeps milliseconds only; longer fractions are truncated, not rejected.
  const dot = time.indexOf('.');
  if (dot !== -1 && time.length > dot + 4) time = time.slice(0, dot + 4);
  let zone = m[3] ?? 'Z';
  if (zone === 'z') zone = 'Z';
  else if (zone.length === 3) zone += ':00';
  else if (zone.length === 5) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${m[1] as string}T${time}${zone}`);
  if (Number.isNaN(ms)) return NaN;
  const [y, mo, d] = (m[1] as string).split('-').map(Number) as [number, number, number];
  return dayExists(y, mo, d) ? ms : NaN;
}

let isoMs = Number.NaN;
let isoText = '';

/**
 * Current UTC time as ISO-8601 with milliseconds and a `Z`. Formatted once per millisecond: each
 * asap.send needs it twice, and Date#toISOString (a printf inside V8) was ~10% of handleBody.
 */
export function nowIso(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

/** Canonical output form: a UTC value already ending in `Z` is kept as sent (keeps microseconds). */
export function normalizeTimestamp(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  if (last === 90 /* Z */ && text.charCodeAt(10) === 84 /* T */) return text;
  return new Date(parseTimestampMs(text)).toISOString();
}

export interface TimestampWindow {
  maxAgeSeconds: number;
  maxFutureSeconds: number;
}

export type TimestampVerdict =
  | { ok: true }
  | { ok: false; message: string; details: Record<string, unknown> };

/** Replay guard: too old or too far in the future is rejected, with the original's messages. */
export function checkTimestampWindow(
  timestamp: string,
  envelopeId: string,
  window: TimestampWindow,
  nowMs: number = Date.now(),
): TimestampVerdict {
  const ts = parseTimestampMs(timestamp);
  const age = (nowMs - ts) / 1000;
  if (age > window.maxAgeSeconds) {
    return {
      ok: false,
      message: `Envelope timestamp is too old: ${age.toFixed(1)} seconds (max: ${window.maxAgeSeconds} seconds)`,
      details: { timestamp, age_seconds: age, envelope_id: envelopeId, max_age_seconds: window.maxAgeSeconds },
    };
  }
  const ahead = -age;
  if (ahead > window.maxFutureSeconds) {
    return {
      ok: false,
      message: `Envelope timestamp is too far in the future: ${ahead.toFixed(1)} seconds (max tolerance: ${window.maxFutureSeconds} seconds)`,
      details: {
        timestamp,
        future_offset_seconds: ahead,
        envelope_id: envelopeId,
        max_future_tolerance_seconds: window.maxFutureSeconds,
      },
    };
  }
  return { ok: true };
}
