/**
 * Collects a stream's bytes up to a cap and keeps counting (and discarding) the rest, so a block that prints
 * 100 MiB cannot exhaust the gateway's memory and its pipe never blocks.
 */

export class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private total = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    const room = this.limit - this.kept;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(part);
    this.kept += part.length;
  }

  get truncated(): boolean {
    return this.total > this.kept;
  }

  get totalBytes(): number {
    return this.total;
  }

  /** The kept bytes as UTF-8, followed by a marker line saying how much was dropped when truncated. */
  text(): string {
    const body = Buffer.concat(this.chunks).toString('utf8');
    if (!this.truncated) return body;
    return `${body}\n[maml: output truncated at ${this.limit} bytes; ${this.total - this.kept} more bytes dropped]\n`;
  }
}
