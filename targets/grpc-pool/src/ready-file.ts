import { open, readFile, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `<tmp>/snakepit_ready_<worker_id>_<unique>`, as the contract names it. */
export function readyFilePath(workerId: string, dir = tmpdir()): string {
  return join(dir, `snakepit_ready_${workerId.replace(/[^A-Za-z0-9_-]/g, '_')}_${process.pid}_${randomBytes(6).toString('hex')}`);
}

/** Writes the port as decimal text to `<file>.tmp`, fsyncs it, and renames it atomically onto the file. */
export async function writeReadyFile(file: string, port: number): Promise<void> {
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(String(port));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}

/** The port in the ready file, or null while it is missing, empty or not a decimal integer ("not ready yet"). */
export async function readReadyFile(file: string): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return null;
  const port = Number(t);
  return port > 0 && port < 65536 ? port : null;
}

export async function removeReadyFile(file: string): Promise<void> {
  await rm(file, { force: true });
  await rm(`${file}.tmp`, { force: true });
}
