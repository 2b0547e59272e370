/**
 * `maml fairness report`: the fairness table (per-group rates and the AIF360 / Fairlearn metrics) of any CSV or
 * JSON-lines file, and with `--mitigate reweighing` the Kamiran–Calders weight of each (group, label).
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import {
  fairnessReport,
  parseTable,
  problemText,
  reportText,
  reweighing,
  reweighingText,
  sampleFromColumns,
  textColumns,
  INTERSECTION,
  type DataProblem,
  type TableFormat,
} from '../../fairness/index.js';
import { MamlError } from '../../shared/index.js';
import { readText } from '../read-text.js';

const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

const HELP = `Usage: maml fairness report FILE --protected COL --unprivileged VALUE (--prediction COL | --label COL)
                            [--label COL] [--favourable VALUE …] [--privileged VALUE …] [--weight COL]
                            [--mitigate reweighing] [--format csv|jsonl] [--json] [--max-bytes N]

Computes the fairness table of a CSV file (a header line, comma-separated) or a JSON-lines file (one object per
line; FILE - reads standard input): per group its rows, selection rate and, with a label column, true and false
positive rates, accuracy, precision and recall; then the metrics, with AIF360's and Fairlearn's definitions:
  statistical_parity_difference   P(favourable | unprivileged) − P(favourable | privileged)
  disparate_impact                P(favourable | unprivileged) / P(favourable | privileged)
  demographic_parity_difference   largest − smallest selection rate over all groups (ratio: smallest / largest)
  equal_opportunity_difference    TPR(unprivileged) − TPR(privileged)
  average_odds_difference         ½ [(FPR_u − FPR_p) + (TPR_u − TPR_p)]
  equalized_odds_difference       larger spread over groups of TPR and FPR (…_mean: their mean)
A metric that is not defined on the data (a side never selected, no favourable label in a group) is n/a (null).
Without --prediction the label column itself is measured (the bias of a data set).

Options:
  --protected COL       protected attribute column; repeat it for an intersection (groups "Female${INTERSECTION}Black")
  --unprivileged VALUE  the unprivileged group (for an intersection, the values joined by "${INTERSECTION}"); repeatable
  --privileged VALUE    the privileged group(s) (default: every other group); repeatable
  --prediction COL      the predicted outcome column
  --label COL           the true label column
  --favourable VALUE    value(s) of the prediction and label columns that are favourable (default 1 or true);
                        repeatable, e.g. --favourable '>50K' --favourable '>50K.'
  --weight COL          sample weight column (finite, 0 or more)
  --mitigate reweighing also print the Kamiran–Calders reweighing weight of each (group, label) (needs --label)
  --format csv|jsonl    the file's format (default: jsonl for .jsonl/.ndjson files, else csv)
  --json                print the table as JSON: { file, rows, protected, unprivileged, privileged, groups,
                        metrics: { statistical_parity_difference, disparate_impact, … }, reweighing }
  --max-bytes N         refuse files larger than N bytes (default ${DEFAULT_MAX_BYTES})
  -h, --help            show this help

A problem in the data (a missing column, a group with no rows, a column that is not binary, an empty or NaN
cell, a bad weight, a ragged CSV row) is reported with its column and row, exit status 2.`;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const one = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function dataError(file: string, p: DataProblem): MamlError {
  return new MamlError('invalid_document', `${file}: ${problemText(p)}`, {
    details: {
      problem: p.code,
      ...(p.column !== undefined ? { column: p.column } : {}),
      ...(p.row !== undefined ? { row: p.row } : {}),
      ...(p.line !== undefined ? { line: p.line } : {}),
    },
  });
}

export const fairnessCommand: Command = {
  name: 'fairness',
  summary: 'fairness metrics of a CSV or JSON-lines file, and reweighing weights',
  help: HELP,
  options: {
    protected: { type: 'string', multiple: true },
    unprivileged: { type: 'string', multiple: true },
    privileged: { type: 'string', multiple: true },
    prediction: { type: 'string' },
    label: { type: 'string' },
    favourable: { type: 'string', multiple: true },
    weight: { type: 'string' },
    mitigate: { type: 'string' },
    format: { type: 'string' },
    json: { type: 'boolean' },
    'max-bytes': { type: 'string' },
  },
  async run(ctx) {
    const [sub, file, ...extra] = ctx.positionals;
    if (sub !== 'report') throw new MamlError('usage', 'the only subcommand is `report`: maml fairness report FILE …');
    if (file === undefined || extra.length > 0) throw new MamlError('usage', 'give exactly one FILE');
    const v = ctx.values;
    const protectedColumns = strings(v['protected']);
    const unprivileged = strings(v['unprivileged']);
    const privileged = strings(v['privileged']);
    const prediction = one(v['prediction']);
    const label = one(v['label']);
    const favourable = strings(v['favourable']);
    const weight = one(v['weight']);
    const mitigate = one(v['mitigate']);
    if (protectedColumns.length === 0) throw new MamlError('usage', 'name the protected column: --protected COL');
    if (unprivileged.length === 0) throw new MamlError('usage', 'name the unprivileged group: --unprivileged VALUE');
    if (prediction === undefined && label === undefined)
      throw new MamlError(
        'usage',
        'name the prediction column (--prediction COL), or --label COL to measure the labels',
      );
    if (mitigate !== undefined && mitigate !== 'reweighing')
      throw new MamlError(
        'usage',
        `--mitigate takes \`reweighing\` (the threshold optimizer needs scores and a model: see docs/fairness.md)`,
      );
    if (mitigate !== undefined && label === undefined)
      throw new MamlError('usage', '--mitigate reweighing needs the label column (--label COL)');
    const formatOption = one(v['format']);
    if (formatOption !== undefined && formatOption !== 'csv' && formatOption !== 'jsonl')
      throw new MamlError('usage', '--format is csv or jsonl');
    const format: TableFormat = formatOption ?? (/\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : 'csv');
    const maxRaw = one(v['max-bytes']);
    const maxBytes = maxRaw === undefined ? DEFAULT_MAX_BYTES : Number(maxRaw);
    if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0)
      throw new MamlError('usage', '--max-bytes must be a positive integer');
    if (file !== '-') {
      const size = (await stat(resolve(ctx.cwd, file)).catch(() => undefined))?.size;
      if (size !== undefined && size > maxBytes)
        throw new MamlError('too_large', `${file} has ${size} bytes, more than --max-bytes ${maxBytes}`);
    }
    const text = await readText(ctx.cwd, file);
    if (text.length > maxBytes) throw new MamlError('too_large', `${file} is larger than --max-bytes ${maxBytes}`);

    const table = parseTable(text, format);
    if (!table.ok) throw dataError(file, table.problem);
    const sample = sampleFromColumns(textColumns(table.value), {
      protected: protectedColumns,
      ...(prediction !== undefined ? { prediction } : {}),
      ...(label !== undefined ? { label } : {}),
      ...(favourable.length > 0 ? { favourable } : {}),
      ...(weight !== undefined ? { weight } : {}),
    });
    if (!sample.ok) throw dataError(file, sample.problem);
    const column = protectedColumns.join(INTERSECTION);
    const report = fairnessReport(
      sample.value,
      { unprivileged, ...(privileged.length > 0 ? { privileged } : {}) },
      column,
    );
    if (!report.ok) throw dataError(file, report.problem);
    const labels = prediction === undefined ? sample.value.predictions : sample.value.labels;
    const weights =
      mitigate === 'reweighing' && labels
        ? reweighing({
            groups: sample.value.groups,
            labels,
            ...(sample.value.weights ? { weights: sample.value.weights } : {}),
          })
        : undefined;
    const favourableText = favourable.length > 0 ? favourable.join(' / ') : 'favourable';
    if (v['json'] === true) {
      ctx.out.print(
        JSON.stringify(
          {
            file,
            rows: report.value.rows,
            protected: protectedColumns,
            prediction: prediction ?? null,
            label: label ?? null,
            favourable: favourable.length > 0 ? favourable : null,
            unprivileged: report.value.unprivileged,
            privileged: report.value.privileged,
            groups: report.value.groups,
            metrics: report.value.metrics,
            ...(weights ? { reweighing: weights.cells } : {}),
          },
          null,
          2,
        ),
      );
      return 0;
    }
    ctx.out.print(
      `${file}: ${report.value.rows} rows; ${prediction !== undefined ? `prediction ${prediction}` : `labels ${label ?? ''}`} by ${column}; unprivileged ${unprivileged.join(', ')}\n`,
    );
    ctx.out.print(reportText(report.value));
    if (weights)
      ctx.out.print(
        `\nreweighing (Kamiran & Calders): weight of each (group, label)\n${reweighingText(weights.cells, favourableText)}`,
      );
    return 0;
  },
};
