export type { Diagnostic, DiagnosticInit, Point, Severity, Span } from './diagnostic.js';
export { SEVERITIES, START, compareDiagnostics, diagnostic, hasErrors } from './diagnostic.js';
export type { ErrorCode, MamlErrorOptions, SerializedError } from './errors.js';
export { ERROR_CODES, MamlError, deserializeError, serializeError } from './errors.js';
export { ERROR_MAPPING, exitCodeFor, httpStatusFor } from './error-mapping.js';
