import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { AgentError } from '../errors.js';
import { onJsonLines } from './ndjson.js';
import type { ModuleResponse } from './ndjson.js';

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export interface ModuleClientOptions {
  /** Per-call limit (ms). */
  callTimeoutMs?: number;
  /** Limit on connecting (ms), default 5,000: a blackholed host would otherwise hang for minutes. */
  connectTimeoutMs?: number;
}

/**
 * Client of the module process: one multiplexed TCP connection, requests matched to replies by id,
 * a timer per call that is always cleared. No reconnection: once the socket closes every pending and
 * later call fails with WB_ERR_MODULE_UNAVAILABLE (the agent answers -32603).
 */
export class ModuleClient {
  private readonly socket: Socket;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private closing = false;
  private markLost: () => void = () => {};
  /** Settles when the connection closes without close() having been called: the module went away. */
  readonly lost: Promise<void> = new Promise((resolve) => (this.markLost = resolve));
  readonly callTimeoutMs: number;

  private constructor(socket: Socket, opts: ModuleClientOptions) {
    this.socket = socket;
    this.callTimeoutMs = opts.callTimeoutMs ?? 5000;
    socket.setNoDelay(true);
    onJsonLines(socket, (msg) => this.onReply(msg as ModuleResponse), () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.failAll();
      if (!this.closing) this.markLost();
    });
  }

  static connect(port: number, host = '127.0.0.1', opts: ModuleClientOptions = {}): Promise<ModuleClient> {
    const limitMs = opts.connectTimeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      const fail = (why: string): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(new AgentError('WB_ERR_MODULE_UNAVAILABLE', `Cannot reach the module at ${host}:${port}: ${why}`, undefined, { hint: 'Start it first (module-main.ts prints its URL).' }));
      };
      const timer = setTimeout(() => fail(`no connection within ${limitMs} ms`), limitMs);
      const onError = (err: Error): void => fail(err.message);
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new ModuleClient(socket, opts));
      });
    });
  }

  get pendingCalls(): number {
    return this.pending.size;
  }

  call(method: string, params?: unknown, timeoutMs: number = this.callTimeoutMs): Promise<unknown> {
    if (this.closed) {
      return Promise.reject(new AgentError('WB_ERR_MODULE_UNAVAILABLE', 'The module connection is closed', undefined, { hint: 'Restart the module.' }));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AgentError('WB_ERR_MODULE_TIMEOUT', `Module call '${method}' got no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  private onReply(msg: ModuleResponse): void {
    const p = this.pending.get(msg?.id);
    if (p === undefined) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if ('error' in msg) p.reject(new AgentError('WB_ERR_MODULE_CALL_FAILED', `Module call failed: ${msg.error.message}`));
    else p.resolve(msg.result);
  }

  private failAll(): void {
    this.closed = true;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(new AgentError('WB_ERR_MODULE_UNAVAILABLE', 'The module connection closed mid-call', undefined, { hint: 'Check the module process.' }));
    }
  }

  close(): Promise<void> {
    this.closing = true;
    if (this.closed && this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      this.socket.destroySoon();
    });
  }
}
