// What the CLI says when a command creates a keyring key on first use (ticket and checkpoint keys).
import type { KeyCreated } from '../runtime/index.js';
import type { Output } from './output.js';

export function keyCreatedNotice(
  out: Output,
  what: string,
  say: { created?: boolean; warnings?: boolean } = {},
): KeyCreated {
  return (name, keyId, dir, warnings) => {
    if (say.created !== false) out.error(`generated ${what} ${name} (${keyId}) in ${dir}`);
    if (say.warnings === true) for (const w of warnings) out.error(`warning: ${w}`);
  };
}
