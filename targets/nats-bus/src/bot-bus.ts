/**
 * The bot side over NATS: a typed publisher for the 7 event subjects and a requester for the 2 query
 * subjects. `core` publishes fire-and-forget (as the original); `jetstream` waits for the stream's
 * PubAck and retries (same id, so the stream stores it once) until it is stored or the deadline passes.
 */
import { jetstream } from '@nats-io/jetstream';
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers, nuid } from '@nats-io/nats-core';
import type { Msg, NatsConnection } from '@nats-io/nats-core';
import { setTimeout as sleep } from 'node:timers/promises';
import { bindApi } from './api.js';
import type { EventOptions, EventReceipt, RoseyDbApi } from './api.js';
import { BusError, BusErrorCode } from './errors.js';
import type { DeliveryMode } from './service.js';
import { EVENT_ID_HEADER, SERVICE_ERROR_CODE_HEADER, SERVICE_ERROR_HEADER } from './subjects.js';

export interface BotBusOptions {
  delivery?: DeliveryMode;
  /** Generated ids are `<idPrefix>-<n>`; default a fresh NUID, so ids never repeat across runs. */
  idPrefix?: string;
  /** false: events carry no id unless one is given (the original's payloads, byte for byte). Default true. */
  ids?: boolean;
  requestTimeoutMs?: number;
  /** jetstream: one attempt's wait for the PubAck. Default 2000. */
  publishTimeoutMs?: number;
  /** jetstream: give up (WB_ERR_NATS_PUBLISH) after this long. Default 30000. */
  publishDeadlineMs?: number;
  /** true: a failed or timed-out request gives `[]`, as the original bot. Default false: it throws. */
  lenient?: boolean;
}

export interface RawReply {
  body: string;
  /** From the Nats-Service-Error headers. */
  error?: { code: number; description: string };
}

export interface BotBus extends RoseyDbApi {
  readonly nc: NatsConnection;
  /** Any body on any subject (bad input, old payloads). */
  publishRaw(subject: string, body: string | Uint8Array, o?: EventOptions): Promise<EventReceipt>;
  requestRaw(subject: string, body: string | Uint8Array, timeoutMs?: number): Promise<RawReply>;
  nextId(): string;
  /** Round trip to the server: everything published before has reached it. */
  flush(): Promise<void>;
}

const isMaxPayload = (err: unknown) => /max_payload/i.test(String((err as Error)?.message) + String((err as { cause?: Error })?.cause?.message ?? ''));

function tooLarge(subject: string, size: number, err: unknown): BusError {
  return new BusError(BusErrorCode.NatsMaxPayload, `${size} bytes on ${subject} exceed the server's max_payload`, 'send a smaller body, or raise max_payload in the nats-server config', err);
}

export function createBotBus(nc: NatsConnection, opts: BotBusOptions = {}): BotBus {
  const delivery = opts.delivery ?? 'core';
  const prefix = opts.idPrefix ?? nuid.next();
  const withIds = opts.ids ?? true;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 2000;
  const js: JetStreamClient | null = delivery === 'jetstream' ? jetstream(nc) : null;
  let n = 0;
  const nextId = () => `${prefix}-${++n}`;

  async function publishRaw(subject: string, body: string | Uint8Array, o: EventOptions = {}): Promise<EventReceipt> {
    const id = o.id ?? (withIds ? nextId() : undefined);
    const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    if (js) return { id, ...(await publishJs(js, subject, body, id, size)) };
    const h = id === undefined ? undefined : headers();
    if (id !== undefined) h?.set(EVENT_ID_HEADER, id);
    try {
      nc.publish(subject, body, h ? { headers: h } : undefined);
    } catch (err) {
      throw isMaxPayload(err) ? tooLarge(subject, size, err) : new BusError(BusErrorCode.NatsPublish, `publish on ${subject} failed (${(err as Error).message})`, 'is the connection open?', err);
    }
    return { id };
  }

  async function publishJs(client: JetStreamClient, subject: string, body: string | Uint8Array, id: string | undefined, size: number): Promise<{ seq: number; duplicate: boolean }> {
    const until = Date.now() + (opts.publishDeadlineMs ?? 30_000);
    for (;;) {
      try {
        const ack = await client.publish(subject, body, { timeout: opts.publishTimeoutMs ?? 2000, ...(id === undefined ? {} : { msgID: id }) });
        return { seq: ack.seq, duplicate: ack.duplicate };
      } catch (err) {
        if (isMaxPayload(err)) throw tooLarge(subject, size, err);
        if (Date.now() > until) {
          throw new BusError(BusErrorCode.NatsPublish, `no PubAck for ${subject}${id ? ` (id ${id})` : ''} before the deadline (${(err as Error).message})`, 'is nats-server up with JetStream, and the stream created (start the service first)?', err);
        }
        // Reconnecting, server restarting, stream not yet there: the same id is stored once, so resending is safe.
        await sleep(50);
      }
    }
  }

  async function requestRaw(subject: string, body: string | Uint8Array, timeoutMs = requestTimeoutMs): Promise<RawReply> {
    let msg: Msg;
    try {
      msg = await nc.request(subject, body, { timeout: timeoutMs });
    } catch (err) {
      const e = err as Error;
      if (isMaxPayload(err)) throw tooLarge(subject, typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength, err);
      if (/no responders/i.test(e.message) || e.name === 'NoRespondersError' || (e.cause as Error | undefined)?.name === 'NoRespondersError') {
        throw new BusError(BusErrorCode.NatsNoResponders, `nobody answers ${subject}`, 'start the DatabaseService (src/main.ts)', err);
      }
      throw new BusError(BusErrorCode.NatsTimeout, `no reply on ${subject} within ${timeoutMs} ms (${e.message})`, 'is the DatabaseService running and not blocked (a locked database waits busyTimeoutMs)?', err);
    }
    const text = new TextDecoder().decode(msg.data);
    const code = msg.headers?.get(SERVICE_ERROR_CODE_HEADER);
    return code ? { body: text, error: { code: Number(code), description: msg.headers?.get(SERVICE_ERROR_HEADER) ?? '' } } : { body: text };
  }

  async function query<T>(subject: string, body: object): Promise<T[]> {
    try {
      const r = await requestRaw(subject, JSON.stringify(body));
      if (r.error) throw new BusError(BusErrorCode.ServiceError, `${subject} failed with ${r.error.code}: ${r.error.description}`, r.error.code === 400 ? 'fix the request' : 'see the service log; the request may succeed later');
      return JSON.parse(r.body) as T[];
    } catch (err) {
      if (opts.lenient) return [];
      throw err;
    }
  }

  const event = (subject: string, body: object, o?: EventOptions) => publishRaw(subject, JSON.stringify(body), o);

  return {
    nc,
    publishRaw,
    requestRaw,
    nextId,
    flush: () => nc.flush(),
    ...bindApi(event, query),
  };
}
