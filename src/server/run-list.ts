/**
 * The run list behind `GET /v1/runs`: newest first, filtered, paged with an opaque cursor (keyset paging on the
 * start time in microseconds and the run id, so a page never repeats or skips a run however many are added
 * meanwhile, and a deep page costs what the first one does). Runs are private to their subject: `owner` limits
 * the list to one subject's runs unless the caller is an admin.
 */
import type { Database } from '../runtime/index.js';
import { MamlError } from '../shared/index.js';

/** The statuses the API reports (a run that failed by cancel is `cancelled`, as in GET /v1/runs/:id). */
export const LIST_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface RunListQuery {
  readonly limit?: number;
  readonly cursor?: string;
  readonly status?: ListStatus;
  /** Exact subject (admins only see other subjects' runs). */
  readonly identity?: string;
  /** Words that must all appear in the document id or title (case-insensitive). */
  readonly document?: string;
  /** Runs started at or after / before this time (ISO 8601). */
  readonly since?: string;
  readonly until?: string;
  /** Only this subject's runs (undefined: every run, for admins). */
  readonly owner?: string;
}

export interface RunSummary {
  readonly id: string;
  readonly status: ListStatus;
  readonly identity: string;
  readonly documentId: string | null;
  readonly title: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
}

export interface RunPage {
  readonly runs: RunSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly next: string | null;
}

/** The cursor is `<started_at in µs since the epoch>.<run id>`, base64url so clients treat it as opaque. */
function encodeCursor(micros: string, id: string): string {
  return Buffer.from(`${micros}.${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { micros: string; id: string } {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const m = /^(-?\d{1,20})\.([0-9a-fA-F-]{1,64})$/.exec(text);
  if (!m) throw new MamlError('usage', 'cursor is not one this gateway gave; start again without it');
  return { micros: m[1] as string, id: m[2] as string };
}

function time(value: string, name: string): string {
  const at = Date.parse(value);
  if (!Number.isFinite(at))
    throw new MamlError('usage', `${name} must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z`);
  return new Date(at).toISOString();
}

const iso = (value: unknown): string | null =>
  value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : String(value);

export async function listRuns(db: Database, query: RunListQuery): Promise<RunPage> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const micros = '(extract(epoch from r.started_at) * 1000000)::bigint';
  if (query.owner !== undefined) where.push(`r.identity = ${param(query.owner)}`);
  if (query.identity !== undefined) where.push(`r.identity = ${param(query.identity)}`);
  const cancelled = `coalesce(r.error->>'code', '') = 'cancelled'`;
  switch (query.status) {
    case undefined:
      break;
    case 'running':
    case 'succeeded':
      where.push(`r.status = ${param(query.status)}`);
      break;
    case 'failed':
      where.push(`r.status = 'failed' AND NOT ${cancelled}`);
      break;
    case 'cancelled':
      where.push(`(r.status = 'cancelled' OR (r.status = 'failed' AND ${cancelled}))`);
      break;
    default: {
      const never: never = query.status;
      throw new MamlError('usage', `unknown status ${String(never)}`);
    }
  }
  for (const word of (query.document ?? '').split(/\s+/).filter(Boolean)) {
    const like = param(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(coalesce(r.document_id, '') ILIKE ${like} OR coalesce(d.title, '') ILIKE ${like})`);
  }
  if (query.since !== undefined) where.push(`r.started_at >= ${param(time(query.since, 'since'))}::timestamptz`);
  if (query.until !== undefined) where.push(`r.started_at < ${param(time(query.until, 'until'))}::timestamptz`);
  if (query.cursor !== undefined) {
    const at = decodeCursor(query.cursor);
    where.push(`(${micros}, r.id) < (${param(at.micros)}::bigint, ${param(at.id)})`);
  }
  const result = await db.query(
    `SELECT r.id, r.status, r.identity, r.document_id, r.started_at, r.finished_at, r.error, d.title,
            ${micros}::text AS started_us
       FROM maml.runs r LEFT JOIN maml.documents d ON d.run_id = r.id
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY r.started_at DESC, r.id DESC LIMIT ${param(limit + 1)}`,
    params,
  );
  const rows = result.rows.slice(0, limit);
  const runs = rows.map((r): RunSummary => {
    const startedAt = iso(r['started_at']) ?? '';
    const finishedAt = iso(r['finished_at']);
    const code = (r['error'] as { code?: unknown } | null)?.code;
    const status = r['status'] === 'failed' && code === 'cancelled' ? 'cancelled' : (r['status'] as ListStatus);
    return {
      id: String(r['id']),
      status,
      identity: String(r['identity']),
      documentId: (r['document_id'] as string | null) ?? null,
      title: (r['title'] as string | null) ?? null,
      startedAt,
      finishedAt,
      durationMs: finishedAt === null ? null : Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    };
  });
  const last = rows[rows.length - 1];
  return {
    runs,
    next: result.rows.length > limit && last ? encodeCursor(String(last['started_us']), String(last['id'])) : null,
  };
}
