export type {
  CodeBlock,
  DependencyEdge,
  FrontMatter,
  HistoryAction,
  HistoryEntry,
  LineEnding,
  MamlDocument,
  SchemaSection,
  Section,
} from './document.js';
export { HISTORY_ACTIONS } from './document.js';
export { oversizeDocument, parse, parseBytes, utf8Length } from './parse.js';
export type { ParseOptions } from './parse.js';
export { DEFAULT_LIMITS } from './limits.js';
export type { ParseLimits } from './limits.js';
export { LineIndex } from './line-index.js';
export {
  COMMON_ATTRIBUTES,
  EXECUTABLE_LANGS,
  LANG_ALIASES,
  LANG_ATTRIBUTES,
  attributesOf,
  isExecutableLang,
  normalizeLang,
} from './languages.js';
export { KNOWN_SECTIONS, normalizeSectionName } from './section-names.js';
export { buildGraph } from './graph.js';
export type { TaskGraph } from './graph.js';
export { validate, validateDocument, placeFinder } from './validate.js';
export type { ValidateOptions, ValidationResult } from './validate.js';
export { PROFILES, isProfile } from './profile.js';
export type { Profile } from './profile.js';
export type { Finding, Rule, RuleContext } from './rule.js';
export { RULES } from './rules/index.js';
export { QISKIT_HINT } from './rules/qiskit-import.js';
export { FRONT_MATTER_SCHEMA } from './front-matter-schema.js';
export { checkSchema, validateAgainst, validateWithDefaults } from './json-schema.js';
export type { SchemaIssue } from './json-schema.js';
export { appendHistory, formatHistoryLine, setFrontMatter } from './edit.js';
export type { NewHistoryEntry } from './edit.js';
export { format, KEY_ORDER } from './fmt.js';
export { documentRegions } from './regions.js';
export { MAX_CHECK_WORK, MAX_CHECKED_CODE } from './block-checker.js';
export type { BlockCheck, BlockChecker, BlockCheckers } from './block-checker.js';
export { resolveEncryptionMode } from './encryption-mode.js';
export type { EncryptionMode, EncryptionModeResult } from './encryption-mode.js';
export { ENCRYPTED_BODY_BEGIN, ENCRYPTED_BODY_END, encryptedBodyAt } from './encrypted-body.js';
export { DiagnosticCap, MAX_DIAGNOSTICS_PER_CODE } from './diagnostic-cap.js';
export type { Region } from './regions.js';
