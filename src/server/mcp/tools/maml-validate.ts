// maml_validate: every diagnostic for a MAML document.
import { z } from 'zod';
import { PROFILES, type Profile } from '../../../format/index.js';
import { MAX_DOCUMENT_CHARS } from '../../document-body.js';
import { validationAnswer, type ValidationAnswer } from '../../validation/index.js';
import type { McpTool } from '../tool.js';

export const mamlValidateTool: McpTool = {
  name: 'maml_validate',
  title: 'Validate a MAML document',
  description: 'Checks a MAML (.maml.md) document and returns every diagnostic with line, column and a stable code.',
  scope: 'maml:validate',
  inputSchema: {
    document: z.string().max(MAX_DOCUMENT_CHARS).describe('the whole document text'),
    profile: z.enum(PROFILES).optional().describe('strict or lenient (default)'),
  },
  async run(ctx, args) {
    const profile = (args['profile'] as Profile | undefined) ?? 'lenient';
    const document = args['document'] as string;
    const pool = ctx.services.validation;
    if (pool === undefined) return validationAnswer(document, profile);
    return JSON.parse(await pool.validate(document, profile)) as ValidationAnswer;
  },
};
