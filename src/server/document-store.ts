/** Submitted documents, kept with their run so agents can find earlier workflows by Intent text and tags. */
import type { MamlDocument } from '../format/index.js';
import type { Database } from '../runtime/index.js';

export interface StoredDocument {
  readonly runId: string;
  readonly documentId: string | null;
  readonly title: string | null;
  readonly intent: string;
  readonly tags: readonly string[];
  readonly createdAt: string;
}

export interface SearchQuery {
  /** Words that must all appear in the Intent (case-insensitive). */
  readonly text?: string;
  /** Tags that must all be present. */
  readonly tags?: readonly string[];
  /** Only documents submitted by this subject (undefined: all, for admins). */
  readonly owner?: string;
  readonly limit?: number;
}

function intentOf(doc: MamlDocument): string {
  return doc.sections.find((s) => s.name === 'intent')?.body.trim() ?? '';
}

function tagsOf(frontMatter: Readonly<Record<string, unknown>> | undefined): string[] {
  const tags = frontMatter?.['tags'];
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

export class DocumentStore {
  constructor(private readonly db: Database) {}

  async save(runId: string, doc: MamlDocument, owner: string): Promise<void> {
    const fm = doc.frontMatter?.value;
    const str = (key: string): string | null => (typeof fm?.[key] === 'string' ? fm[key] : null);
    await this.db.query(
      `INSERT INTO maml.documents (run_id, document_id, title, intent, tags, owner, text)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) ON CONFLICT (run_id) DO NOTHING`,
      [runId, str('id'), str('title'), intentOf(doc), JSON.stringify(tagsOf(fm)), owner, doc.text],
    );
  }

  async search(query: SearchQuery): Promise<StoredDocument[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const word of (query.text ?? '').split(/\s+/).filter(Boolean)) {
      params.push(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`intent ILIKE $${params.length}`);
    }
    if (query.tags && query.tags.length > 0) {
      params.push(JSON.stringify(query.tags));
      where.push(`tags @> $${params.length}::jsonb`);
    }
    if (query.owner !== undefined) {
      params.push(query.owner);
      where.push(`owner = $${params.length}`);
    }
    params.push(Math.min(Math.max(query.limit ?? 20, 1), 100));
    const result = await this.db.query(
      `SELECT run_id, document_id, title, intent, tags, created_at FROM maml.documents
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, run_id LIMIT $${params.length}`,
      params,
    );
    return result.rows.map((r) => ({
      runId: String(r['run_id']),
      documentId: (r['document_id'] as string | null) ?? null,
      title: (r['title'] as string | null) ?? null,
      intent: String(r['intent']),
      tags: (r['tags'] as string[] | null) ?? [],
      createdAt: r['created_at'] instanceof Date ? r['created_at'].toISOString() : String(r['created_at']),
    }));
  }

  async text(runId: string): Promise<string | undefined> {
    const result = await this.db.query('SELECT text FROM maml.documents WHERE run_id = $1', [runId]);
    const text = result.rows[0]?.['text'];
    return typeof text === 'string' ? text : undefined;
  }
}
