/**
 * The request body that carries a document: either the Markdown itself (`text/markdown`, `text/plain`) or JSON
 * `{ "document": "...", ... }`. One JSON schema per form; both routes that take documents share them.
 */
import { PROFILES, type Profile } from '../format/index.js';

/** 1 MiB of Markdown: far above any real workflow; the HTTP body limit is set a little above it. */
export const MAX_DOCUMENT_CHARS = 1_048_576;

export const DOCUMENT_TEXT_SCHEMA = { type: 'string', maxLength: MAX_DOCUMENT_CHARS } as const;

export const VALIDATE_BODY_SCHEMA = {
  anyOf: [
    DOCUMENT_TEXT_SCHEMA,
    {
      type: 'object',
      required: ['document'],
      properties: { document: DOCUMENT_TEXT_SCHEMA, profile: { type: 'string', enum: [...PROFILES] } },
      additionalProperties: false,
    },
  ],
} as const;

export const RUN_BODY_SCHEMA = {
  anyOf: [
    DOCUMENT_TEXT_SCHEMA,
    {
      type: 'object',
      required: ['document'],
      properties: {
        document: DOCUMENT_TEXT_SCHEMA,
        inputs: { type: 'object', description: 'workflow inputs, checked against ## Input_Schema' },
      },
      additionalProperties: false,
    },
  ],
} as const;

export interface DocumentBody {
  readonly text: string;
  readonly profile: Profile | undefined;
  readonly inputs: Record<string, unknown>;
}

/** The body after schema validation (one of the two forms above). */
export function documentBody(body: unknown): DocumentBody {
  if (typeof body === 'string') return { text: body, profile: undefined, inputs: {} };
  const b = body as { document: string; profile?: Profile; inputs?: Record<string, unknown> };
  return { text: b.document, profile: b.profile, inputs: b.inputs ?? {} };
}
