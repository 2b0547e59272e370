/**
 * Tables only the gateway needs, applied after the runtime's migrations (numbered from 1001 so the two lists
 * never collide): the submitted documents, searchable by Intent and tags.
 */
import type { Migration } from '../runtime/index.js';

export const SERVER_MIGRATIONS: readonly Migration[] = [
  {
    version: 1001,
    description: 'gateway: submitted documents',
    sql: `
CREATE TABLE maml.documents (
  run_id text PRIMARY KEY REFERENCES maml.runs (id) ON DELETE CASCADE,
  document_id text,
  title text,
  intent text NOT NULL DEFAULT '',
  tags jsonb NOT NULL DEFAULT '[]',
  owner text NOT NULL,
  text text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_created ON maml.documents (created_at DESC);`,
  },
];
