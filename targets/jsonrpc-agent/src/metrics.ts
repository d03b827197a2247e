import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const OTHER_PAYLOAD_TYPE = 'other';

export type ErrorType =
  | 'parse_error'
  | 'invalid_request'
  | 'invalid_params'
  | 'missing_envelope'
  | 'invalid_envelope'
  | 'auth_failed'
  | 'sender_mismatch'
  | 'invalid_timestamp'
  | 'invalid_nonce'
  | 'handler_not_found'
  | 'thread_pool_exhausted'
  | 'internal_error';

interface SuccessChildren {
  total: { inc(): void };
  success: { inc(): void };
  duration: { observe(v: number): void };
}

/**
 * The spec's request metrics on a private prom-client Registry (one per agent, so two agents in one
 * process never share counts). Label children are cached per normalized payload type: the label set
 * is bounded (registered types + "other"), and the cache skips prom-client's label hashing per request.
 */
export class AgentMetrics {
  readonly registry = new Registry();
  private readonly isRegistered: (payloadType: string) => boolean;
  private readonly total: Counter<'payload_type' | 'status'>;
  private readonly success: Counter<'payload_type'>;
  private readonly errors: Counter<'error_type' | 'payload_type'>;
  private readonly duration: Histogram<'payload_type' | 'status'>;
  private readonly exhausted: Counter;
  private readonly successCache = new Map<string, SuccessChildren>();

  constructor(isRegistered: (payloadType: string) => boolean) {
    this.isRegistered = isRegistered;
    const registers = [this.registry];
    this.total = new Counter({
      name: 'asap_requests_total',
      help: 'Total number of ASAP requests',
      labelNames: ['payload_type', 'status'],
      registers,
    });
    this.success = new Counter({
      name: 'asap_requests_success_total',
      help: 'Total number of successful ASAP requests',
      labelNames: ['payload_type'],
      registers,
    });
    this.errors = new Counter({
      name: 'asap_requests_error_total',
      help: 'Total number of failed ASAP requests',
      labelNames: ['error_type', 'payload_type'],
      registers,
    });
    this.duration = new Histogram({
      name: 'asap_request_duration_seconds',
      help: 'ASAP request duration in seconds',
      labelNames: ['payload_type', 'status'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.exhausted = new Counter({
      name: 'asap_thread_pool_exhausted_total',
      help: 'Total number of requests rejected because the handler pool was full',
      registers,
    });
    const started = performance.now();
    new Gauge({
      name: 'asap_process_uptime_seconds',
      help: 'Seconds since the agent was built',
      registers,
      collect() {
        this.set(Math.round(performance.now() - started) / 1000);
      },
    });
  }

  /** A registered payload type keeps its name; anything else (or unknown yet) becomes "other". */
  normalize(payloadType: string | null): string {
    return payloadType !== null && this.isRegistered(payloadType) ? payloadType : OTHER_PAYLOAD_TYPE;
  }

  recordSuccess(payloadType: string | null, seconds: number): void {
    const label = this.normalize(payloadType);
    let c = this.successCache.get(label);
    if (c === undefined) {
      c = {
        total: this.total.labels(label, 'success'),
        success: this.success.labels(label),
        duration: this.duration.labels(label, 'success'),
      };
      this.successCache.set(label, c);
    }
    c.total.inc();
    c.success.inc();
    c.duration.observe(seconds);
  }

  recordError(payloadType: string | null, errorType: ErrorType, seconds: number): void {
    const label = this.normalize(payloadType);
    this.total.labels(label, 'error').inc();
    this.errors.labels(errorType, label).inc();
    this.duration.labels(label, 'error').observe(seconds);
    if (errorType === 'thread_pool_exhausted') this.exhausted.inc();
  }

  /** Prometheus text exposition (version 0.0.4). */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
