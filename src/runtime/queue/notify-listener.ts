/**
 * A LISTEN connection that survives PostgreSQL restarts: it reconnects (every `retryMs`) and, after each
 * (re)connect, calls `onNotify` with no payload, since notifications sent while it was away are lost: listeners
 * then re-read what they wait for. Notifications only wake; the tables are the truth.
 */
import pg from 'pg';

export class NotifyListener {
  private client: pg.Client | undefined;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly channels: readonly string[],
    private readonly onNotify: (channel: string | undefined, payload: string | undefined) => void,
    private readonly retryMs = 1000,
  ) {}

  async start(): Promise<void> {
    await this.connect().catch(() => this.later());
  }

  private later(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect().catch(() => this.later());
    }, this.retryMs);
    this.timer.unref();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
    const lost = (): void => {
      if (this.client !== client) return;
      this.client = undefined;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      this.later();
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    if (this.closed) {
      await client.end();
      return;
    }
    client.on('notification', (message) => this.onNotify(message.channel, message.payload));
    for (const channel of this.channels) await client.query(`LISTEN ${channel}`);
    this.client = client;
    this.onNotify(undefined, undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
