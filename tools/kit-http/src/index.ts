/** @wirebench/kit-http — HTTP I/O for the kit, kept out of the transport-agnostic core. */
export { autocannonRun, type CannonRun, type CannonSpec } from './autocannon-run.js';
export { createHttpClient, type HttpClient, type HttpClientError, type HttpClientOptions, type HttpRequest, type HttpResponse } from './keepalive-client.js';
