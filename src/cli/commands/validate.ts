/** `maml validate <files or dirs…>`: every diagnostic of every document; exit 1 when any has errors. */
import { validateDocument } from '../../format/index.js';
import { BLOCK_CHECKERS } from '../../runtime/block-checkers.js';
import type { Command } from '../command.js';
import { MAML_EXTENSIONS, describeSkipped, expandPathsReport } from '../files.js';
import { byteSizeOption, flag, profileOption, requirePositionals } from '../options.js';
import { readDocument } from '../read-document.js';
import { diagnosticJson, formatDiagnostic, summary } from '../report.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check documents and report every problem with its position',
  help: `Usage: maml validate <file|dir>... [--profile strict|lenient] [--json] [--quiet]

Checks MAML documents (directories are searched for *.maml.md and *.maml.markdown, skipping
hidden files, dot-directories and node_modules; how many other files were passed over is said
on stderr) and prints every problem as \`path:line:col severity code message\`.

Options:
  --profile <p>     strict (the specification) or lenient (default; accepts the
                    schema:/context: dialect, unquoted versions, list-valued requires)
  --json            print {"files":[{"path","ok","diagnostics":[...]}]}
  -q, --quiet       print errors only
  --max-bytes <n>   refuse documents larger than this (default 10MiB)

Exit status: 0 when no document has errors, 1 when any does, 2 on usage errors.`,
  options: {
    profile: { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    'max-bytes': { type: 'string' },
  },
  async run(ctx) {
    const inputs = requirePositionals(ctx, 1, 'a file or directory to validate (e.g. `maml validate examples`)');
    const profile = profileOption(ctx, 'lenient');
    const maxBytes = byteSizeOption(ctx, 'max-bytes');
    const { paths, skipped, skippedByExtension } = await expandPathsReport(inputs);
    const files = [];
    let errors = 0;
    let warnings = 0;
    for (const path of paths) {
      const doc = await readDocument(path, maxBytes === undefined ? {} : { maxBytes });
      const result = validateDocument(doc, { profile, blockCheckers: BLOCK_CHECKERS });
      errors += result.diagnostics.filter((d) => d.severity === 'error').length;
      warnings += result.diagnostics.filter((d) => d.severity === 'warning').length;
      files.push({ path, ok: result.ok, diagnostics: result.diagnostics });
    }
    // Said on stderr, so that --json output stays one JSON document; hidden files, dot-directories and
    // node_modules are passed over without a word.
    if (skipped > 0 && !flag(ctx, 'quiet'))
      ctx.out.error(
        `skipped ${describeSkipped(skipped, skippedByExtension)} (directories are searched for ${MAML_EXTENSIONS.map((e) => `*${e}`).join(' and ')}; name a file to check it whatever its name)`,
      );
    if (flag(ctx, 'json')) {
      ctx.out.print(
        JSON.stringify(
          { files: files.map((f) => ({ path: f.path, ok: f.ok, diagnostics: f.diagnostics.map(diagnosticJson) })) },
          null,
          2,
        ),
      );
    } else {
      const quiet = flag(ctx, 'quiet');
      for (const file of files) {
        for (const d of file.diagnostics) {
          if (quiet && d.severity !== 'error') continue;
          ctx.out.print(formatDiagnostic(ctx.out, file.path, d));
        }
      }
      const line = summary(errors, warnings, files.length);
      ctx.out.error(errors > 0 ? ctx.out.paint('red', line) : ctx.out.paint('green', `ok: ${line}`));
    }
    return errors > 0 ? 1 : 0;
  },
};
