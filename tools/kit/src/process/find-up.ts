import { existsSync } from 'node:fs';
import path from 'node:path';

/** The nearest folder from `from` upwards that holds `marker`; null when none does. */
export function findUp(from: string, marker: string): string | null {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, marker))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
