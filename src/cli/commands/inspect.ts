/** `maml inspect <file>`: front matter, sections, blocks and the execution order as stages of block ids. */
import { validateDocument } from '../../format/index.js';
import type { Command } from '../command.js';
import { flag, profileOption, requirePositionals } from '../options.js';
import { readDocument } from '../read-document.js';
import { formatDiagnostic } from '../report.js';

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'show front matter, sections, blocks and execution order',
  help: `Usage: maml inspect <file> [--json] [--profile strict|lenient]

Shows what the gateway reads from a document: front matter, sections, code blocks
(id, language, line, needs, attributes) and the execution order as stages of block
ids (blocks in one stage can run in parallel).

Options:
  --json            print {"frontMatter","sections","blocks","order":[["a"],["b","c"]],"diagnostics"}
  --profile <p>     how to read the front matter (default lenient)

Exit status: 0, or 1 when the document has errors (they are printed too).`,
  options: { json: { type: 'boolean' }, profile: { type: 'string' } },
  async run(ctx) {
    const [path] = requirePositionals(
      ctx,
      1,
      'the document to inspect (e.g. `maml inspect examples/quickstart.maml.md`)',
    );
    const doc = await readDocument(path as string);
    const result = validateDocument(doc, { profile: profileOption(ctx, 'lenient') });
    const blocks = doc.blocks.map((b) => ({
      id: b.id,
      lang: b.lang,
      line: b.line,
      executable: b.executable,
      needs: result.graph.upstream.get(b.id) ?? b.needs,
      attributes: b.attributes,
      section: b.section ?? null,
    }));
    const sections = doc.sections.map((s) => ({ title: s.title, name: s.name, line: s.heading.start.line }));
    const order = result.graph.stages.map((stage) => [...stage]);
    if (flag(ctx, 'json')) {
      ctx.out.print(
        JSON.stringify(
          {
            path,
            frontMatter: result.frontMatter ?? null,
            sections,
            blocks,
            order,
            history: doc.history.map((h) => ({
              timestamp: h.timestamp,
              action: h.action,
              text: h.text,
              line: h.span.start.line,
            })),
            diagnostics: result.diagnostics.map((d) => ({
              code: d.code,
              severity: d.severity,
              message: d.message,
              line: d.line,
              column: d.column,
            })),
          },
          null,
          2,
        ),
      );
      return result.ok ? 0 : 1;
    }
    const { out } = ctx;
    out.print(out.paint('bold', path as string));
    out.print(out.paint('bold', '\nFront matter'));
    for (const [key, value] of Object.entries(result.frontMatter ?? {}))
      out.print(`  ${key}: ${JSON.stringify(value)}`);
    out.print(out.paint('bold', '\nSections'));
    for (const s of sections) out.print(`  ${String(s.line).padStart(4)}  ${s.title}`);
    out.print(out.paint('bold', '\nBlocks'));
    for (const b of blocks) {
      const needs = b.needs.length > 0 ? ` needs ${b.needs.join(', ')}` : '';
      const runs = b.executable ? '' : out.paint('dim', ' (not executed)');
      out.print(`  ${String(b.line).padStart(4)}  ${b.id} [${b.lang || 'no language'}]${needs}${runs}`);
    }
    out.print(out.paint('bold', '\nExecution order'));
    if (order.length === 0) out.print('  (nothing to run)');
    order.forEach((stage, i) => out.print(`  ${i + 1}. ${stage.join(', ')}`));
    const problems = result.diagnostics.filter((d) => d.severity !== 'info');
    if (problems.length > 0) {
      out.print(out.paint('bold', '\nDiagnostics'));
      for (const d of problems) out.print(`  ${formatDiagnostic(out, path as string, d)}`);
    }
    return result.ok ? 0 : 1;
  },
};
