/** Minimal SSE and WebSocket clients for the tests: collect a run's events until run_finished. */
import WebSocket from 'ws';

export interface ClientEvent {
  readonly seq: number;
  readonly type: string;
  readonly blockId: string | null;
  readonly data: Record<string, unknown>;
}

/** Reads `text/event-stream` from the response until the server ends it. */
export async function readSse(res: Response): Promise<ClientEvent[]> {
  const events: ClientEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = frame
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      if (data) events.push(JSON.parse(data) as ClientEvent);
    }
  }
  return events;
}

export function openSocket(url: string, token?: string): Promise<WebSocket> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/v1/ws', {
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`upgrade refused: ${res.statusCode}`));
    });
  });
}

/** Subscribes to a run and resolves with its events once the server says `finished`. */
export function socketEvents(ws: WebSocket, runId: string): Promise<{ events: ClientEvent[]; receivedAt: number[] }> {
  const events: ClientEvent[] = [];
  const receivedAt: number[] = [];
  return new Promise((resolve, reject) => {
    const onMessage = (raw: WebSocket.RawData): void => {
      const m = JSON.parse(raw.toString()) as {
        type: string;
        runId?: string;
        event?: ClientEvent;
        error?: { code: string };
      };
      if (m.runId !== runId) return;
      if (m.type === 'event' && m.event) {
        events.push(m.event);
        receivedAt.push(Date.now());
      }
      if (m.type === 'error') reject(new Error(m.error?.code));
      if (m.type === 'finished') {
        ws.off('message', onMessage);
        resolve({ events, receivedAt });
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'subscribe', runId }));
  });
}
