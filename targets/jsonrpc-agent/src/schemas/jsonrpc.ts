import { Type } from '@sinclair/typebox';
import { JsonObject } from './common.js';

export const ASAP_METHOD = 'asap.send';

/**
 * One JSON-RPC request object. `jsonrpc` may be omitted (the original defaults it to "2.0");
 * `id` may be omitted (a notification, JSON-RPC 2.0) and may be a string, a number or null.
 */
export const JsonRpcRequestSchema = Type.Object(
  {
    jsonrpc: Type.Optional(Type.Literal('2.0')),
    method: Type.String(),
    params: Type.Optional(JsonObject),
    id: Type.Optional(Type.Unsafe<string | number | null>({ type: ['string', 'number', 'null'] })),
  },
  { additionalProperties: false },
);

export type RpcId = string | number | null;

export interface JsonRpcRequest {
  jsonrpc?: '2.0';
  method: string;
  params?: Record<string, unknown>;
  id?: RpcId;
}
