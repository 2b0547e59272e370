/**
 * Block languages: the spellings people use, their normalized names, and which ones the gateway executes. The
 * executable ones and their spellings are also declared by the runtime's executors (each executor file names its
 * language and aliases); this pure area cannot import them, so test/runtime/executor-languages.test.ts fails
 * when the two disagree and says what to add where.
 */

export const EXECUTABLE_LANGS = ['python', 'javascript', 'typescript', 'bash', 'sh', 'sql', 'qasm', 'ocaml'] as const;
export const DATA_LANGS = ['json', 'yaml'] as const;
export type ExecutableLang = (typeof EXECUTABLE_LANGS)[number];

/** Other spellings of a language (lower case) → its normalized name. */
export const LANG_ALIASES: Readonly<Record<string, string>> = {
  py: 'python',
  python3: 'python',
  js: 'javascript',
  node: 'javascript',
  mjs: 'javascript',
  ts: 'typescript',
  shell: 'bash',
  zsh: 'bash',
  openqasm: 'qasm',
  qasm2: 'qasm',
  qasm3: 'qasm',
  openqasm2: 'qasm',
  openqasm3: 'qasm',
  ml: 'ocaml',
  yml: 'yaml',
  postgres: 'sql',
  postgresql: 'sql',
  psql: 'sql',
};

/** Attributes every block may have, read by the format and the planner (`#id` is not one: the info string has it). */
export const COMMON_ATTRIBUTES = ['needs', 'head', 'timeout', 'continue_on_error', 'run', 'cache', 'fairness'] as const;

/**
 * Attributes a language's executor reads beyond the common ones. The executors declare the same names with their
 * checks (the planner refuses bad values); the test named above compares the two.
 */
export const LANG_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  qasm: ['shots', 'seed', 'backend', 'precision', 'probabilities'],
};

/** The attributes the gateway reads on a block of `lang` (normalized): the common ones, then the language's. */
export function attributesOf(lang: string): readonly string[] {
  const own = Object.hasOwn(LANG_ATTRIBUTES, lang) ? (LANG_ATTRIBUTES[lang] ?? []) : [];
  return [...COMMON_ATTRIBUTES, ...own];
}

/** Languages that are recognised but never executed (documentation, examples, plain text). */
const DOCUMENTATION_LANGS = new Set([
  'markdown',
  'md',
  'maml',
  'text',
  'txt',
  'plaintext',
  'console',
  'output',
  'diff',
]);

export function normalizeLang(raw: string): string {
  const lower = raw.toLowerCase();
  // Own keys only: `constructor` is a language name to report, not Object.prototype's.
  return Object.hasOwn(LANG_ALIASES, lower) ? (LANG_ALIASES[lower] as string) : lower;
}

const EXECUTABLE: ReadonlySet<string> = new Set(EXECUTABLE_LANGS);

export function isExecutableLang(lang: string): lang is ExecutableLang {
  return EXECUTABLE.has(lang);
}

export function isKnownLang(lang: string): boolean {
  return isExecutableLang(lang) || (DATA_LANGS as readonly string[]).includes(lang) || DOCUMENTATION_LANGS.has(lang);
}
