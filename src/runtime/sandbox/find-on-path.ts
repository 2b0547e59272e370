// Finds a program on the host tools' path the way a shell would, for the host-side tools the sandbox starts.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { hostTools } from './host-tools.js';

export function findOnPath(name: string): string | undefined {
  for (const dir of hostTools().path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
