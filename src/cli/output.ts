/**
 * Where a command writes. Colour is used only when the stream is a TTY and NO_COLOR is unset (FORCE_COLOR forces
 * it), so piped output and JSON stay plain.
 */
import type { Writable } from 'node:stream';

export interface Output {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly color: boolean;
  readonly isTTY: boolean;
  print(text: string): void;
  error(text: string): void;
  paint(style: Style, text: string): string;
}

const STYLES = { red: 31, yellow: 33, green: 32, cyan: 36, dim: 2, bold: 1 } as const;
export type Style = keyof typeof STYLES;

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}

export function createOutput(stdout: Writable & { isTTY?: boolean }, stderr: Writable, env: NodeJS.ProcessEnv): Output {
  const color = colorEnabled(stdout, env);
  return {
    stdout,
    stderr,
    color,
    isTTY: stdout.isTTY === true,
    print: (text) => void stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    error: (text) => void stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    paint: (style, text) => (color ? `\u001b[${STYLES[style]}m${text}\u001b[0m` : text),
  };
}
