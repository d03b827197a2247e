import type { TokenValidator } from './options.js';

export type AuthResult = { ok: true; agentId: string } | { ok: false; status: 401 | 403; detail: string };

/** Step 9: bearer token from the Authorization header, checked by the caller's validator. */
export async function authenticate(header: string | undefined, validate: TokenValidator): Promise<AuthResult> {
  if (header === undefined || header === '') return { ok: false, status: 401, detail: 'Authentication required' };
  const space = header.indexOf(' ');
  const scheme = space === -1 ? header : header.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') {
    return { ok: false, status: 401, detail: `Unsupported authentication scheme: ${scheme}` };
  }
  const token = header.slice(space + 1).trim();
  const agentId = token === '' ? null : await validate(token);
  if (agentId === null) return { ok: false, status: 401, detail: 'Invalid authentication token' };
  return { ok: true, agentId };
}

/** Step 12: the envelope must be sent by the agent the token belongs to. */
export function senderMismatch(agentId: string, sender: string): string | null {
  return agentId === sender
    ? null
    : `Sender '${sender}' does not match authenticated identity '${agentId}'`;
}
