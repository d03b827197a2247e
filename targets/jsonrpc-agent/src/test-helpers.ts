/** Shared fixtures for the tests (not part of the public API). */
import type { FastifyInstance } from 'fastify';

export const CLIENT = 'urn:asap:agent:bench-client';
export const SERVER = 'urn:asap:agent:default-server';

export function envelope(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '01JJZ8Q6W3T9V2K5M7N4P8R1SX',
    asap_version: '0.1',
    timestamp: new Date().toISOString(),
    sender: CLIENT,
    recipient: SERVER,
    payload_type: 'task.request',
    payload: { conversation_id: 'conv-b1', skill_id: 'echo', input: { n: 42 } },
    ...overrides,
  };
}

export function request(env: unknown = envelope(), id: unknown = 7): Record<string, unknown> {
  return { jsonrpc: '2.0', method: 'asap.send', params: { envelope: env }, id };
}

/** A JSON-RPC notification: no `id` member at all. */
export function notification(env: unknown = envelope()): Record<string, unknown> {
  return { jsonrpc: '2.0', method: 'asap.send', params: { envelope: env } };
}

export interface Posted {
  status: number;
  headers: Record<string, unknown>;
  body: string;
  json: any;
}

export async function post(app: FastifyInstance, body: unknown, headers: Record<string, string> = {}): Promise<Posted> {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const r = await app.inject({ method: 'POST', url: '/asap', payload, headers: { 'content-type': 'application/json', ...headers } });
  let json: unknown = undefined;
  try {
    json = r.body === '' ? undefined : JSON.parse(r.body);
  } catch {
    json = undefined;
  }
  return { status: r.statusCode, headers: r.headers, body: r.body, json };
}

/** The agent still answers a valid request correctly. */
export async function assertServing(app: FastifyInstance): Promise<void> {
  const r = await post(app, request(envelope(), 'alive'));
  if (r.status !== 200 || r.json?.result?.envelope?.payload_type !== 'task.response' || r.json.id !== 'alive') {
    throw new Error(`agent stopped serving: ${r.status} ${r.body}`);
  }
}
