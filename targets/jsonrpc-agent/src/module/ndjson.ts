import type { Socket } from 'node:net';

/**
 * Newline-delimited JSON framing on a socket. Hand-written: it is ten lines, and readline would add
 * an interface object and an async iterator per connection for no gain.
 */
export function onJsonLines(socket: Socket, onMessage: (msg: unknown) => void, onBadLine: (line: string) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let nl = buffered.indexOf('\n');
    while (nl !== -1) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.length > 0) {
        let msg: unknown;
        try {
          msg = JSON.parse(line);
        } catch {
          onBadLine(line);
          msg = undefined;
        }
        if (msg !== undefined) onMessage(msg);
      }
      nl = buffered.indexOf('\n');
    }
  });
}

export interface ModuleRequest {
  id: number;
  method: string;
  params?: unknown;
}

export type ModuleResponse = { id: number; result: unknown } | { id: number; error: { message: string } };
