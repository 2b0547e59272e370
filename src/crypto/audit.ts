/**
 * Full audit of a log store: every leaf hash recomputed from its entry, the tree rebuilt, and the result checked
 * against a signed checkpoint. Detects edited entries, edited hashes, and consistent rewrites of both (the
 * rebuilt head then differs from the signed one), as well as truncation below a signed size.
 */
import { equalBytes } from './bytes.js';
import { parseCheckpoint } from './checkpoint.js';
import type { LogStore } from './log-store.js';
import { hashLeaf } from './merkle.js';
import { MerkleTree } from './merkle-tree.js';
import { openNote, type NoteVerifier } from './signed-note.js';

export const AUDIT_ISSUES = [
  'missing_row',
  'leaf_hash_mismatch',
  'checkpoint_signature',
  'checkpoint_malformed',
  'checkpoint_origin',
  'log_truncated',
  'root_mismatch',
] as const;
export type AuditIssueCode = (typeof AUDIT_ISSUES)[number];

export interface AuditIssue {
  readonly code: AuditIssueCode;
  readonly message: string;
  readonly index?: number;
}

export interface AuditOptions {
  /** A signed checkpoint note to hold the log to. */
  readonly checkpoint?: string;
  readonly verifiers?: readonly NoteVerifier[];
  /** Expected origin line of the checkpoint. */
  readonly origin?: string;
}

export interface AuditResult {
  readonly ok: boolean;
  readonly size: number;
  readonly root: Uint8Array;
  readonly issues: readonly AuditIssue[];
}

export async function auditVerify(store: LogStore, options: AuditOptions = {}): Promise<AuditResult> {
  const issues: AuditIssue[] = [];
  const tree = new MerkleTree();
  const size = await store.size();
  for (let index = 0; index < size; index++) {
    const row = await store.get(index);
    if (!row) {
      issues.push({ code: 'missing_row', index, message: `row ${index} is missing` });
      break;
    }
    const recomputed = hashLeaf(row.entry);
    if (!equalBytes(recomputed, row.leafHash))
      issues.push({
        code: 'leaf_hash_mismatch',
        index,
        message: `row ${index}: stored leaf hash does not match its entry`,
      });
    tree.push(recomputed);
  }
  if (options.checkpoint !== undefined) checkAgainst(options, tree, issues);
  return { ok: issues.length === 0, size: tree.size, root: tree.root(), issues };
}

function checkAgainst(options: AuditOptions, tree: MerkleTree, issues: AuditIssue[]): void {
  const opened = openNote(options.checkpoint ?? '', options.verifiers ?? []);
  if (!opened.ok) {
    issues.push({ code: 'checkpoint_signature', message: `checkpoint rejected: ${opened.reason}` });
    return;
  }
  const cp = parseCheckpoint(opened.text);
  if (!cp) {
    issues.push({ code: 'checkpoint_malformed', message: 'checkpoint text is not a tlog-checkpoint' });
    return;
  }
  if (options.origin !== undefined && cp.origin !== options.origin)
    issues.push({ code: 'checkpoint_origin', message: `checkpoint is for ${cp.origin}, not ${options.origin}` });
  if (cp.size > tree.size) {
    issues.push({ code: 'log_truncated', message: `checkpoint covers ${cp.size} entries, the log holds ${tree.size}` });
    return;
  }
  if (!equalBytes(tree.root(cp.size), cp.rootHash))
    issues.push({
      code: 'root_mismatch',
      message: `rebuilt head at size ${cp.size} differs from the signed checkpoint`,
    });
}
