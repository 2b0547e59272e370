/** `maml fmt <file>`: prints (or with --write saves) the canonical layout; --check reports files that differ. */
import { format, parse, validateDocument } from '../../format/index.js';
import { MamlError } from '../../shared/errors.js';
import type { Command } from '../command.js';
import { expandPaths } from '../files.js';
import { flag, requirePositionals } from '../options.js';
import { readDocument } from '../read-document.js';
import { formatDiagnostic } from '../report.js';
import { writeFileAtomic } from '../write-atomic.js';

export const fmtCommand: Command = {
  name: 'fmt',
  summary: 'rewrite documents in the canonical layout',
  help: `Usage: maml fmt <file|dir>... [--check] [--write]

Formats MAML documents: front matter keys in specification order with a quoted
maml_version first (the older \`schema: maml-1.0\` dialect is converted), LF line
endings, no trailing spaces, one blank line around ## headings, one final newline.
Code blocks are never changed. Formatting twice gives the same result.

Without options, prints the formatted document (one file only).

Options:
  --check   exit 1 and list files whose layout differs; change nothing
  --write   rewrite the files in place (atomically)

Documents with errors that stop them being read (missing front matter, YAML errors)
are left untouched and reported. After --write, the result is checked with the
strict profile and remaining problems are printed.`,
  options: { check: { type: 'boolean' }, write: { type: 'boolean' } },
  async run(ctx) {
    const inputs = requirePositionals(ctx, 1, 'a file to format (e.g. `maml fmt doc.maml.md --write`)');
    const check = flag(ctx, 'check');
    const write = flag(ctx, 'write');
    if (check && write) throw new MamlError('usage', '--check and --write cannot be used together.');
    const paths = await expandPaths(inputs);
    if (!check && !write && paths.length !== 1) {
      throw new MamlError('usage', 'printing works on one file; use --write or --check for several.');
    }
    let differ = 0;
    let failed = 0;
    for (const path of paths) {
      const doc = await readDocument(path);
      const blocking = doc.diagnostics.filter(
        (d) =>
          d.severity === 'error' &&
          (d.ruleId === 'front-matter' || d.ruleId === 'yaml' || d.ruleId === 'encoding' || d.ruleId === 'limits'),
      );
      if (blocking.length > 0) {
        failed++;
        for (const d of blocking) ctx.out.error(formatDiagnostic(ctx.out, path, d));
        ctx.out.error(`${path}: not formatted; fix the errors above first.`);
        continue;
      }
      const formatted = format(doc);
      const changed = formatted !== doc.text;
      if (check) {
        if (changed) {
          differ++;
          ctx.out.print(`${path}: not in canonical layout (run \`maml fmt --write ${path}\`)`);
        }
      } else if (write) {
        if (changed) {
          await writeFileAtomic(path, formatted);
          ctx.out.print(`${path}: formatted`);
        }
        const strict = validateDocument(parse(formatted), { profile: 'strict' });
        for (const d of strict.diagnostics)
          if (d.severity === 'error') ctx.out.error(formatDiagnostic(ctx.out, path, d));
      } else {
        ctx.out.stdout.write(formatted);
      }
    }
    return failed > 0 || differ > 0 ? 1 : 0;
  },
};
