/**
 * GET /v1/runs/:id/document: the document a run was submitted with, as text, with what the dashboard draws from
 * it: the executable blocks (id, language, line, upstream blocks), the stages of the plan, the History entries
 * with their lines, and the `## Input_Schema` (to re-run with a form). Parsed again on each request (no rules
 * run: the document was validated when it was submitted).
 */
import { buildGraph, parse } from '../../format/index.js';
import { MamlError } from '../../shared/index.js';
import { visible } from '../run-json.js';
import { RUN_ID_PARAMS, type Route } from './route.js';

export const runDocumentRoute: Route = {
  method: 'GET',
  url: '/v1/runs/:id/document',
  summary: 'The document a run was submitted with, its blocks and stages (the DAG), History and Input_Schema',
  scope: 'maml:read',
  schema: {
    params: RUN_ID_PARAMS,
    response: {
      200: {
        type: 'object',
        required: ['runId', 'text', 'blocks', 'stages', 'history', 'inputSchema'],
        properties: {
          runId: { type: 'string' },
          text: { type: 'string' },
          blocks: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                lang: { type: 'string' },
                line: { type: 'integer' },
                needs: { type: 'array', items: { type: 'string' } },
              },
            },
          },
          stages: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
          history: { type: 'array', items: { type: 'object' } },
          inputSchema: {},
        },
      },
    },
  },
  handler: async ({ services, principal }, request) => {
    const { id } = request.params as { id: string };
    const found = await services.store.getRun(id);
    const text =
      found && found.run.id === id && visible(found.run, principal) ? await services.documents.text(id) : undefined;
    if (text === undefined) throw new MamlError('not_found', `no document for run ${id}`);
    const doc = parse(text);
    // The plan's graph only: the document passed validation when it was submitted.
    const graph = buildGraph(doc);
    return {
      runId: id,
      text,
      blocks: doc.blocks
        .filter((b) => b.executable)
        .map((b) => ({ id: b.id, lang: b.lang, line: b.line, needs: graph.upstream.get(b.id) ?? b.needs })),
      stages: graph.stages.map((s) => [...s]),
      history: doc.history.map((h) => ({
        timestamp: h.timestamp,
        action: h.action,
        text: h.text,
        line: h.span.start.line,
      })),
      inputSchema: doc.inputSchema?.value ?? null,
    };
  },
};
