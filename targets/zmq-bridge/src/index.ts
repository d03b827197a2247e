export { createClient } from './client.js';
export type { ClientOptions, ClientResult, ClientCounters, LazyPirateClient } from './client.js';
export { createBroker } from './broker.js';
export type { BrokerOptions, BrokerStats, PirateBroker } from './broker.js';
export { createWorker } from './worker.js';
export type { WorkerOptions, WorkerStats, PirateWorker } from './worker.js';
export { createDirectServer } from './direct.js';
export type { DirectServerOptions, DirectServer } from './direct.js';
export { createHandler, handleRequest } from './handler.js';
export type { Handler, HandlerOptions } from './handler.js';
export {
  chooseFormat, decodeMessage, encodeMessage, estimateElements, FormatHeader, FORMATS,
  JSON_MAX_ELEMENTS, MSGPACK_MAX_ELEMENTS,
} from './codec.js';
export type { Decoded, Format, WireFormat } from './codec.js';
export { OPS, MAX_STALL_MS } from './compute.js';
export type { Op, Vector } from './compute.js';
export { BridgeError, ERROR_HINTS, ErrorCode, isBridgeError } from './errors.js';
export * from './ppp.js';
