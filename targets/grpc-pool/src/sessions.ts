import type { ToolSpec } from './messages.js';

export interface Session {
  id: string;
  metadata: Record<string, string>;
  /** Epoch seconds, as GetSession reports it. */
  createdAt: number;
  lastAccessedMs: number;
  /** Tools registered by workers: name → spec and the worker that registered it. */
  tools: Map<string, { spec: ToolSpec; workerId: string }>;
}

/** The pool's session store (Elixir's SessionStore): create is idempotent, reads touch. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  create(id: string, metadata: Record<string, string> = {}): Session {
    let s = this.sessions.get(id);
    if (!s) {
      s = { id, metadata: { ...metadata }, createdAt: Math.floor(Date.now() / 1000), lastAccessedMs: Date.now(), tools: new Map() };
      this.sessions.set(id, s);
    }
    return s;
  }

  get(id: string): Session | undefined {
    const s = this.sessions.get(id);
    if (s) s.lastAccessedMs = Date.now();
    return s;
  }

  delete(id: string): boolean {
    return this.sessions.delete(id);
  }

  /** Registers tools for a session (creating it if needed); returns name → tool id. */
  registerTools(id: string, tools: ToolSpec[], workerId: string): Record<string, string> {
    const s = this.create(id);
    const ids: Record<string, string> = {};
    for (const spec of tools) {
      s.tools.set(spec.name, { spec, workerId });
      ids[spec.name] = `${id}:${spec.name}`;
    }
    return ids;
  }

  get size(): number {
    return this.sessions.size;
  }
}
