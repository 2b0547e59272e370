// Finds a program on PATH the way a shell would, for the host-side tools the sandbox starts.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
