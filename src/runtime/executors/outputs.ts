/**
 * The output protocol shared by every language: one line per output, `name=<json>`, written to fd 3 (the
 * `maml.output` helpers do this) or printed on stdout as `::output name=<json>`. A value that is not valid JSON
 * is kept as a string, so `maml_output greeting hello` works in shell. `!missing=<json>` reports a missing module.
 */
import { MamlError } from '../../shared/index.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const STDOUT_OUTPUT = /^::output ([^=\s]+)=(.*)$/;

export interface ParsedReport {
  readonly outputs: Record<string, unknown>;
  readonly missing?: string;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function parseReport(lines: string, blockId: string): ParsedReport {
  const outputs: Record<string, unknown> = {};
  let missing: string | undefined;
  for (const line of lines.split('\n')) {
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq);
    const value = eq < 0 ? '' : line.slice(eq + 1);
    if (name === '!missing') {
      missing = String(parseValue(value));
      continue;
    }
    if (line.startsWith('[maml: output truncated'))
      throw new MamlError('resource_limit', `block ${blockId} reported more output data than the output limit allows`);
    if (!NAME.test(name))
      throw new MamlError(
        'block_failed',
        `block ${blockId} reported an output with an invalid name ${JSON.stringify(name)}: use letters, digits, _ . -`,
      );
    // Defined, not assigned: an output named `__proto__` stays an own key (which the head's output check then
    // refuses with a message) instead of silently setting the object's prototype.
    Object.defineProperty(outputs, name, {
      value: parseValue(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return missing === undefined ? { outputs } : { outputs, missing };
}

/** Splits `::output name=json` lines out of stdout; returns the remaining text and the report lines. */
export function extractStdoutOutputs(stdout: string): { stdout: string; report: string } {
  const kept: string[] = [];
  const report: string[] = [];
  for (const line of stdout.split('\n')) {
    const match = STDOUT_OUTPUT.exec(line);
    if (match) report.push(`${match[1]}=${match[2]}`);
    else kept.push(line);
  }
  return { stdout: kept.join('\n'), report: report.join('\n') };
}
