// maml_search: documents submitted to this gateway, found by words of their Intent and by tags.
import { z } from 'zod';
import { hasScope } from '../../auth/principal.js';
import type { McpTool } from '../tool.js';

export const mamlSearchTool: McpTool = {
  name: 'maml_search',
  title: 'Search stored documents',
  description:
    'Finds documents submitted earlier whose ## Intent contains all the words and whose tags include all given tags.',
  scope: 'maml:read',
  inputSchema: {
    text: z.string().max(500).optional().describe('words that must all appear in the Intent'),
    tags: z.array(z.string().max(100)).max(20).optional(),
    limit: z.number().int().min(1).max(100).optional(),
  },
  async run(ctx, args) {
    const documents = await ctx.services.documents.search({
      ...(args['text'] === undefined ? {} : { text: args['text'] as string }),
      ...(args['tags'] === undefined ? {} : { tags: args['tags'] as string[] }),
      ...(args['limit'] === undefined ? {} : { limit: args['limit'] as number }),
      ...(hasScope(ctx.principal, 'maml:admin') ? {} : { owner: ctx.principal.subject }),
    });
    return { documents };
  },
};
