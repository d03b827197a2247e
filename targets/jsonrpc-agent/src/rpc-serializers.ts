import fastJson from 'fast-json-stringify';
import { envelopeOutputSchema } from './schemas/envelope.js';
import type { Envelope } from './schemas/envelope.js';
import type { RpcId } from './schemas/jsonrpc.js';

type Schema = Parameters<typeof fastJson>[0];
const idSchema = { type: ['string', 'number', 'null'] };

/** `{"jsonrpc":"2.0","result":{"envelope":…},"id":…}` — key order jsonrpc, result, id. */
export const stringifySuccess = fastJson({
  type: 'object',
  properties: {
    jsonrpc: { type: 'string' },
    result: { type: 'object', properties: { envelope: envelopeOutputSchema }, required: ['envelope'] },
    id: idSchema,
  },
  required: ['jsonrpc', 'result', 'id'],
} as Schema) as (r: { jsonrpc: '2.0'; result: { envelope: Envelope }; id: RpcId }) => string;

export interface RpcErrorObject {
  code: number;
  message: string;
  data: unknown;
}

/** `{"jsonrpc":"2.0","error":{"code","message","data"},"id":…}`. */
export const stringifyError = fastJson({
  type: 'object',
  properties: {
    jsonrpc: { type: 'string' },
    error: {
      type: 'object',
      properties: { code: { type: 'integer' }, message: { type: 'string' }, data: {} },
      required: ['code', 'message', 'data'],
    },
    id: idSchema,
  },
  required: ['jsonrpc', 'error', 'id'],
} as Schema) as (r: { jsonrpc: '2.0'; error: RpcErrorObject; id: RpcId }) => string;

/** 429 body; the original puts `id` before `error` here. */
export const stringifyRateLimited = fastJson({
  type: 'object',
  properties: {
    jsonrpc: { type: 'string' },
    id: { type: 'null' },
    error: {
      type: 'object',
      properties: {
        code: { type: 'integer' },
        message: { type: 'string' },
        data: {
          type: 'object',
          properties: { retry_after: { type: 'integer' }, limit: { type: 'string' } },
          required: ['retry_after', 'limit'],
        },
      },
      required: ['code', 'message', 'data'],
    },
  },
  required: ['jsonrpc', 'id', 'error'],
} as Schema) as (r: { jsonrpc: '2.0'; id: null; error: { code: 429; message: string; data: { retry_after: number; limit: string } } }) => string;

/** `{"detail": …}` bodies of the HTTP-level rejections (413, 415, 400). */
export const stringifyDetail = fastJson({
  type: 'object',
  properties: { detail: { type: 'string' } },
  required: ['detail'],
} as Schema) as (r: { detail: string }) => string;
