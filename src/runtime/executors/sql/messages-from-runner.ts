// Messages a SQL runner process writes on fd 3, one JSON object per line (the other direction of the protocol).

export type FromSqlRunner =
  /** The database is loaded and the runner reads requests. */
  | { readonly type: 'ready' }
  /** The rows of the last statement that returned any, as JSON values (bigint as a string, bytea as `\x…`). */
  | { readonly type: 'rows'; readonly id: number; readonly rows: readonly Record<string, unknown>[] }
  /** PostgreSQL refused the SQL; `sqlState` is its five-character error code. */
  | { readonly type: 'sql_error'; readonly id: number; readonly message: string; readonly sqlState?: string }
  /** The rows were larger than the request's `maxBytes`; nothing else was sent. */
  | { readonly type: 'too_large'; readonly id: number; readonly bytes: number }
  /** Template mode: a fresh data directory as a gzip tarball, base64-encoded. */
  | { readonly type: 'template'; readonly data: string }
  /** The runner could not start (or load its data directory). */
  | { readonly type: 'fatal'; readonly message: string };
