/**
 * What `POST /v1/validate` and the MCP tool `maml_validate` answer for one document: every diagnostic, as the
 * CLI's `maml validate --json` gives them. The one function both the inline path and the worker threads run.
 */
import { parse, validateDocument, type Profile } from '../../format/index.js';
import { BLOCK_CHECKERS } from '../../runtime/block-checkers.js';
import type { Diagnostic } from '../../shared/index.js';

export interface ValidationAnswer {
  readonly ok: boolean;
  readonly profile: Profile;
  readonly diagnostics: readonly Diagnostic[];
}

export function validationAnswer(text: string, profile: Profile): ValidationAnswer {
  const result = validateDocument(parse(text), { profile, blockCheckers: BLOCK_CHECKERS });
  return { ok: result.ok, profile, diagnostics: result.diagnostics };
}
