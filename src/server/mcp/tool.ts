/**
 * One MCP tool: name, description, input shape (zod, as the MCP SDK wants), the scope it needs and its body.
 * Failures are returned as tool results with `isError: true` (the caller's model sees the message), never as
 * protocol errors. Adding a tool adds a file under tools/ and one line in tools/index.ts.
 */
import type { CallToolResult, ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import type { ZodRawShape } from 'zod';
import { serializeError } from '../../shared/index.js';
import { publicError } from '../http/error-reply.js';
import type { Principal, Scope } from '../auth/principal.js';
import type { GatewayServices } from '../services.js';

export interface ToolContext {
  readonly services: GatewayServices;
  readonly principal: Principal;
  /** The client's progress token, when it asked for progress notifications. */
  readonly progressToken: string | number | undefined;
  notify(notification: ServerNotification): Promise<void>;
  readonly signal: AbortSignal;
}

export interface McpTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly scope: Scope;
  readonly inputSchema: ZodRawShape;
  run(ctx: ToolContext, args: Record<string, unknown>): Promise<unknown>;
}

export function jsonResult(value: unknown): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(value, null, 2) }],
    structuredContent: value as Record<string, unknown>,
  };
}

/** A failure as the client sees it: faults of the gateway itself get a logged reference instead of their message. */
export function errorResult(error: unknown): CallToolResult {
  const e = publicError(serializeError(error), error);
  // Positioned problems (invalid document, threat scan findings, limits) go with the error, as over HTTP.
  const diagnostics = e.details?.['diagnostics'];
  const details = diagnostics === undefined ? {} : { details: { diagnostics } };
  return {
    isError: true,
    content: [
      {
        type: 'text',
        text: `${e.code}: ${e.message}${diagnostics === undefined ? '' : `\n${JSON.stringify(diagnostics, null, 2)}`}`,
      },
    ],
    structuredContent: { error: { code: e.code, message: e.message, ...details } },
  };
}
