import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The regular files under `folder`, breadth-first, in no particular order. A subfolder is entered
 * only when `enter(name, depth)` says so (`depth` of the subfolder: 1 for a child of `folder`);
 * unreadable folders are skipped. Stops after `maxFiles` files.
 */
export function* filesUnder(folder: string, enter: (name: string, depth: number) => boolean, maxFiles = Number.POSITIVE_INFINITY): Generator<string> {
  const pending: [string, number][] = [[folder, 0]];
  let count = 0;
  for (let next = pending.shift(); next !== undefined && count < maxFiles; next = pending.shift()) {
    const [dir, depth] = next;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (enter(entry.name, depth + 1)) pending.push([full, depth + 1]);
      } else if (entry.isFile() && count < maxFiles) {
        count++;
        yield full;
      }
    }
  }
}
