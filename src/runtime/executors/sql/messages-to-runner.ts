// Messages the scheduler sends to a run's SQL runner process on its stdin, one JSON object per line.

export type ToSqlRunner =
  /**
   * Run one block's SQL. With `params` (the block used `:name` placeholders, bound as `$n`), `text` is one
   * statement; without, it may hold several. Answered with `rows`, `sql_error` or `too_large` carrying the same id.
   */
  {
    readonly type: 'run';
    readonly id: number;
    readonly text: string;
    readonly params: readonly unknown[] | null;
    /** Largest JSON encoding of the rows the runner may send back. */
    readonly maxBytes: number;
  };
