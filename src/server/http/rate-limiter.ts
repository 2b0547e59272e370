/**
 * Per-subject token buckets: each subject (token `sub`, or the client address when unauthenticated) may make
 * `burst` requests at once and `perSecond` on average. Idle buckets are dropped so memory stays bounded.
 */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(readonly limit: RateLimit) {}

  /** Seconds to wait before retrying, or 0 when the request may go ahead (and a token was taken). */
  take(subject: string, now = performance.now()): number {
    const { perSecond, burst } = this.limit;
    const bucket = this.buckets.get(subject) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(subject, bucket);
    if (this.buckets.size > 10_000) this.sweep(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / perSecond);
  }

  private sweep(now: number): void {
    const full = (this.limit.burst / this.limit.perSecond) * 1000;
    for (const [key, bucket] of this.buckets) if (now - bucket.at > full) this.buckets.delete(key);
  }
}
