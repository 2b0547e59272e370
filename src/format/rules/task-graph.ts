/** Dependencies name existing executable blocks and form no cycle (the graph module does the work). */
import type { Rule } from '../rule.js';

export const taskGraph: Rule = {
  id: 'task-graph',
  description: '`needs=` and `## Dependencies` name known blocks and form a DAG.',
  check(ctx) {
    return ctx.graph.diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      place: {
        start: { line: d.line, column: d.column, offset: d.offset },
        end: d.end ?? { line: d.line, column: d.column, offset: d.offset },
      },
    }));
  },
};
