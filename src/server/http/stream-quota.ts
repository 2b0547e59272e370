/**
 * Open event streams per subject (SSE responses and WebSocket connections each hold one), so one token cannot
 * hold an unbounded number of sockets and bus listeners. In memory, per process, like the rate limits.
 */
export class StreamQuota {
  private readonly open = new Map<string, number>();

  constructor(readonly perSubject: number) {}

  /** Takes a slot for `subject`: a function that gives it back (once), or undefined when none is free. */
  take(subject: string): (() => void) | undefined {
    const n = this.open.get(subject) ?? 0;
    if (n >= this.perSubject) return undefined;
    this.open.set(subject, n + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const left = (this.open.get(subject) ?? 1) - 1;
      if (left === 0) this.open.delete(subject);
      else this.open.set(subject, left);
    };
  }
}
