import { Type } from '@sinclair/typebox';

export const ASAP_METHOD = 'asap.send';

/**
 * One JSON-RPC request object. `jsonrpc` may be omitted (the original defaults it to "2.0");
 * `id` may be omitted (a notification, JSON-RPC 2.0) and may be a string, a number or null.
 * `params` is a structured value, object or array (JSON-RPC 2.0 §4.2): whether a method takes
 * an array is the method's business, checked once the method is known (`asap.send` does not).
 */
export const JsonRpcRequestSchema = Type.Object(
  {
    jsonrpc: Type.Optional(Type.Literal('2.0')),
    method: Type.String(),
    params: Type.Optional(Type.Unsafe<Record<string, unknown> | unknown[]>({ type: ['object', 'array'] })),
    id: Type.Optional(Type.Unsafe<string | number | null>({ type: ['string', 'number', 'null'] })),
  },
  { additionalProperties: false },
);

export type RpcId = string | number | null;

export interface JsonRpcRequest {
  jsonrpc?: '2.0';
  method: string;
  params?: Record<string, unknown> | unknown[];
  id?: RpcId;
}
