/**
 * The Submit page: paste or open a `.maml.md`, see the gateway's diagnostics under the lines they are about as
 * you type (POST /v1/validate, the same checks as `maml validate`), fill the inputs its `## Input_Schema` asks
 * for, and run it (POST /v1/runs); a refusal's diagnostics (threat scan, limits, inputs) are shown the same way.
 */
import { ApiError, api, type Diagnostic } from '../api.js';
import { errorNotice, heading, type Page } from '../common.js';
import { fill, h } from '../dom.js';
import { fieldsOf, inputSchemaOf, inputsOf, type Field } from '../../lib/input-form.js';

/** Lines drawn in the annotated view; a longer document shows its diagnostics in the list only. */
const MAX_ANNOTATED_LINES = 5000;

export const submitPage: Page = (view) => {
  const text = h('textarea', {
    id: 'document',
    rows: 18,
    spellcheck: false,
    autocomplete: 'off',
    'aria-describedby': 'diag-summary',
  });
  const file = h('input', { id: 'file', type: 'file', accept: '.md,.markdown,text/markdown' });
  const summary = h(
    'p',
    { id: 'diag-summary', class: 'diag-summary', 'aria-live': 'polite' },
    'Paste a document to check it.',
  );
  const annotated = h('div', { class: 'annotated' });
  const inputs = h('fieldset', { class: 'inputs' });
  const notice = h('div', { 'aria-live': 'polite' });
  const run = h('button', { type: 'submit', class: 'primary' }, 'Run');
  let fields: Field[] = [];
  let schemaText = '';
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const showDiagnostics = (diagnostics: readonly Diagnostic[], source: string): void => {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    summary.textContent =
      diagnostics.length === 0
        ? 'No problems found.'
        : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`;
    summary.className = `diag-summary ${errors > 0 ? 'bad' : 'good'}`;
    const byLine = new Map<number, Diagnostic[]>();
    for (const d of diagnostics) {
      const line = d.line ?? 1;
      byLine.set(line, [...(byLine.get(line) ?? []), d]);
    }
    const diag = (d: Diagnostic): HTMLElement =>
      h(
        'li',
        { class: `diag ${d.severity}`, 'data-line': d.line ?? 1, 'data-code': d.code },
        `${d.line ?? 1}:${d.column ?? 1} ${d.severity} ${d.code}: ${d.message}`,
      );
    const lines = source.split('\n');
    if (lines.length > MAX_ANNOTATED_LINES || diagnostics.length === 0) {
      fill(annotated, diagnostics.length > 0 ? h('ul', { class: 'diags' }, ...diagnostics.map(diag)) : null);
      return;
    }
    fill(
      annotated,
      h(
        'ol',
        { class: 'source annotated-lines', 'aria-label': 'Document with its diagnostics' },
        ...lines.map((line, i) => {
          const here = byLine.get(i + 1);
          return h(
            'li',
            { class: here ? 'has-diag' : '', value: i + 1 },
            h('code', {}, line || ' '),
            here ? h('ul', { class: 'diags' }, ...here.map(diag)) : null,
          );
        }),
      ),
    );
  };

  const drawInputs = (source: string): void => {
    const schema = inputSchemaOf(source);
    const key = JSON.stringify(schema ?? null);
    if (key === schemaText) return;
    schemaText = key;
    fields = fieldsOf(schema);
    fill(
      inputs,
      h('legend', {}, 'Inputs'),
      fields.length === 0
        ? h(
            'p',
            {},
            schema === undefined
              ? 'The document has no ## Input_Schema (or none in a json fence): it runs without inputs.'
              : 'No inputs.',
          )
        : fields.map((f) => {
            const fieldId = `in-${f.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
            const control =
              f.kind === 'boolean'
                ? h('input', { type: 'checkbox', id: fieldId, name: f.name, checked: f.defaultText === 'true' })
                : f.kind === 'enum'
                  ? h(
                      'select',
                      { id: fieldId, name: f.name },
                      ...(f.required ? [] : [h('option', { value: '' }, '')]),
                      ...f.options.map((o) => h('option', { value: o, selected: o === f.defaultText }, o)),
                    )
                  : h('input', {
                      type: 'text',
                      id: fieldId,
                      name: f.name,
                      value: f.defaultText,
                      required: f.required,
                      inputmode: f.kind === 'number' || f.kind === 'integer' ? 'decimal' : null,
                      'aria-describedby': `${fieldId}-msg`,
                    });
            return h(
              'div',
              { class: 'field' },
              h('label', { for: fieldId }, f.name, f.required ? ' (required)' : '', ` — ${f.kind}`),
              control,
              f.description ? h('small', {}, f.description) : null,
              h('span', { id: `${fieldId}-msg`, class: 'field-msg', 'aria-live': 'polite' }),
            );
          }),
    );
  };

  const check = async (): Promise<void> => {
    const source = text.value;
    const mine = ++seq;
    drawInputs(source);
    if (source.trim() === '') {
      summary.textContent = 'Paste a document to check it.';
      fill(annotated);
      return;
    }
    try {
      const answer = await api.postMarkdown<{ ok: boolean; diagnostics: Diagnostic[] }>('/v1/validate', source);
      if (mine === seq) showDiagnostics(answer.diagnostics, source);
    } catch (error) {
      if (mine === seq) fill(annotated, errorNotice(error));
    }
  };
  const soon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void check(), 300);
  };
  text.addEventListener('input', soon);
  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (f)
      void f.text().then((t) => {
        text.value = t;
        void check();
      });
  });

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    fill(notice);
    const values: Record<string, string | boolean> = {};
    for (const f of fields) {
      const el = inputs.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${CSS.escape(f.name)}"]`);
      if (el) values[f.name] = el instanceof HTMLInputElement && el.type === 'checkbox' ? el.checked : el.value;
    }
    const read = inputsOf(fields, values);
    for (const msg of inputs.querySelectorAll('.field-msg')) msg.textContent = '';
    if (!read.ok) {
      for (const [name, message] of Object.entries(read.problems)) {
        const fieldId = `in-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
        const msg = document.getElementById(`${fieldId}-msg`);
        if (msg) msg.textContent = message;
        document.getElementById(fieldId)?.setAttribute('aria-invalid', 'true');
      }
      return;
    }
    run.disabled = true;
    try {
      const answer = await api.postJson<{ id: string }>('/v1/runs', { document: text.value, inputs: read.inputs });
      location.hash = `#/runs/${encodeURIComponent(answer.id)}`;
    } catch (error) {
      const diagnostics =
        error instanceof ApiError ? (error.details?.['diagnostics'] as Diagnostic[] | undefined) : undefined;
      fill(notice, errorNotice(error));
      if (Array.isArray(diagnostics)) showDiagnostics(diagnostics, text.value);
    } finally {
      run.disabled = false;
    }
  };

  view.append(
    heading('Submit'),
    h(
      'form',
      { class: 'submit', onsubmit: (e: Event) => void submit(e) },
      h('label', { for: 'document' }, 'Document (.maml.md)'),
      text,
      h('div', { class: 'file' }, h('label', { for: 'file' }, 'Or open a file'), file),
      summary,
      annotated,
      inputs,
      notice,
      run,
    ),
  );
  drawInputs('');
  return () => clearTimeout(timer);
};
