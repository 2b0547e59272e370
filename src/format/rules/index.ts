/** Every validation rule, in the order they run. Adding a rule adds a file and a line here. */
import type { Rule } from '../rule.js';
import { blockAttributes } from './block-attributes.js';
import { blockCode } from './block-code.js';
import { blockIdSyntax } from './block-id-syntax.js';
import { blockLanguages } from './block-languages.js';
import { documentId } from './document-id.js';
import { duplicateBlockIds } from './duplicate-block-ids.js';
import { encryptedBody } from './encrypted-body.js';
import { encryptionValue } from './encryption-value.js';
import { fairnessFrontMatter } from './fairness-front-matter.js';
import { federatedSection } from './federated-section.js';
import { frontMatterTypes } from './front-matter-types.js';
import { historyActions } from './history-actions.js';
import { intentSection } from './intent-section.js';
import { ioSchemas } from './io-schemas.js';
import { qiskitImport } from './qiskit-import.js';
import { legacyDialect } from './legacy-dialect.js';
import { taskGraph } from './task-graph.js';
import { timestamps } from './timestamps.js';
import { uris } from './uris.js';

export const RULES: readonly Rule[] = [
  encryptedBody,
  legacyDialect,
  frontMatterTypes,
  documentId,
  uris,
  timestamps,
  encryptionValue,
  federatedSection,
  intentSection,
  ioSchemas,
  blockLanguages,
  blockAttributes,
  blockCode,
  qiskitImport,
  blockIdSyntax,
  duplicateBlockIds,
  taskGraph,
  historyActions,
  fairnessFrontMatter,
];
