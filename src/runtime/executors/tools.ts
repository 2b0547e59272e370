/**
 * Tools an executor starts (an interpreter, an engine module), declared in its file and compiled once by the
 * process that runs it: head-main.ts calls `compileExecutorTools` on its own environment at start (the pool passes
 * the gateway's environment and its `env` option to each head) and hands the result to every run as
 * `context.tools`. Executors never read the environment themselves; a tool missing from `context.tools` is its `fallback`.
 */
import type { Executor, ExecutorContext } from './executor.js';

export interface ToolSpec {
  /** Key in `ExecutorTools`; unique across the registry. */
  readonly name: string;
  /** Environment variable the head process reads it from (an empty value counts as unset). */
  readonly env: string;
  /** Used when it is not configured: a command looked up on PATH. Without one the tool is optional. */
  readonly fallback?: string;
  readonly description: string;
}

/** Configured tools by name: what the operator set, nothing else (fallbacks are applied where a tool is used). */
export type ExecutorTools = Readonly<Record<string, string>>;

/** Every tool the executors declare, once each (the conformance suite checks that names are not reused). */
export function declaredTools(executors: readonly Executor[]): ToolSpec[] {
  const seen = new Map<string, ToolSpec>();
  for (const executor of executors) for (const tool of executor.needs.tools) seen.set(tool.name, tool);
  return [...seen.values()];
}

/** The tools set in `env` (the environment of the process that runs the executors), by tool name. Total: an unset or empty variable is skipped. */
export function compileExecutorTools(
  executors: readonly Executor[],
  env: Readonly<Record<string, string | undefined>>,
): ExecutorTools {
  const tools: Record<string, string> = {};
  for (const tool of declaredTools(executors)) {
    const value = env[tool.env];
    if (value !== undefined && value !== '') tools[tool.name] = value;
  }
  return Object.freeze(tools);
}

/** The configured value of `tool`, else its fallback (undefined for an optional tool that is not set). */
export function toolFrom(context: ExecutorContext, tool: ToolSpec): string | undefined {
  const { tools } = context;
  // Own keys only: a tool named like an Object.prototype member must not read the prototype.
  const configured = tools && Object.hasOwn(tools, tool.name) ? tools[tool.name] : undefined;
  return configured !== undefined && configured !== '' ? configured : tool.fallback;
}
