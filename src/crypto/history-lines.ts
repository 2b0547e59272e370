/**
 * The History lines that carry provenance, in their two forms. Full form puts the whole signed object in the
 * line (about 4.5 KB for ML-DSA-65); compact form puts its audit-log index and RFC 9162 leaf hash (§2.1.1:
 * SHA-256(0x00 || entry), the entry being the compact signed object's UTF-8 bytes), so the line stays under
 * 200 bytes and the signed object is read back from the audit log.
 *
 *   - <time>: [TICKET] <base64url>.<base64url>                                     full
 *   - <time>: [TICKET] log=<index> leaf=<64 hex> run=<run id> block=<block id>      compact
 *   - <time>: [EXECUTE] <text> {record <base64url>.<base64url>}                    full
 *   - <time>: [EXECUTE] <text> {record log=<index> leaf=<64 hex>}                  compact
 *
 * `run=` and `block=` are unsigned hints (for reading and for spotting duplicates without the log); they are left
 * out when an id is not printable ASCII without spaces, and checked against the ticket when the log is at hand.
 */

export const HISTORY_FORMS = ['compact', 'full'] as const;
export type HistoryForm = (typeof HISTORY_FORMS)[number];
export const DEFAULT_HISTORY_FORM: HistoryForm = 'compact';

export function isHistoryForm(value: unknown): value is HistoryForm {
  return typeof value === 'string' && (HISTORY_FORMS as readonly string[]).includes(value);
}

/** Where a compact-form line's signed object sits in the audit log. */
export interface LogRef {
  readonly logIndex: number;
  readonly leafHash: string;
  readonly runId?: string;
  readonly blockId?: string;
}

/** What the runtime knows about a signed object it logged. */
export interface LoggedObject {
  readonly compact: string;
  readonly logIndex: number;
  /** RFC 9162 leaf hash of the compact form, hex. */
  readonly leafHash: string;
}

const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const HINT = /^[!-~]{1,128}$/;
const LOG_REF = /^log=(0|[1-9]\d{0,14}) leaf=([0-9a-f]{64})$/;
const TICKET_REF = /^log=(0|[1-9]\d{0,14}) leaf=([0-9a-f]{64})(?: run=([!-~]{1,128}))?(?: block=([!-~]{1,128}))?$/;
const ENTRY = /^\s*[-*+]\s+(\S+?):?\s+\[([A-Za-z_]+)\]\s?(.*)$/;

/** The text after `[TICKET] ` for a logged ticket of `runId`/`blockId`. */
export function ticketLineText(
  ticket: LoggedObject & { readonly runId: string; readonly blockId: string },
  form: HistoryForm,
): string {
  if (form === 'full') return ticket.compact;
  const hints = [
    HINT.test(ticket.runId) ? ` run=${ticket.runId}` : '',
    HINT.test(ticket.blockId) ? ` block=${ticket.blockId}` : '',
  ].join('');
  return `log=${ticket.logIndex} leaf=${ticket.leafHash}${hints}`;
}

/** `- <time>: [TICKET] <compact>`: a full-form ticket line. */
export function ticketHistoryLine(compact: string, time: string): string {
  return `- ${time}: [TICKET] ${compact}`;
}

/** A History entry split into time, action and text; undefined for a line of another shape. */
export function historyEntry(line: string): { time: string; action: string; text: string } | undefined {
  const m = ENTRY.exec(line);
  return m
    ? { time: m[1] as string, action: (m[2] as string).toUpperCase(), text: (m[3] as string).trim() }
    : undefined;
}

export interface TicketLine {
  readonly time: string;
  readonly compact: string;
}

/** Recognises a full-form History ticket line; undefined for any other line. */
export function parseTicketLine(line: string): TicketLine | undefined {
  const entry = historyEntry(line);
  return entry?.action === 'TICKET' && COMPACT.test(entry.text) ? { time: entry.time, compact: entry.text } : undefined;
}

export type TicketLineRef =
  | { readonly time: string; readonly compact: string; readonly logRef?: undefined }
  | { readonly time: string; readonly compact?: undefined; readonly logRef: LogRef };

/** Recognises a ticket line of either form. */
export function parseHistoryTicket(line: string): TicketLineRef | undefined {
  const entry = historyEntry(line);
  if (entry?.action !== 'TICKET') return undefined;
  if (COMPACT.test(entry.text)) return { time: entry.time, compact: entry.text };
  const m = TICKET_REF.exec(entry.text);
  if (!m) return undefined;
  return {
    time: entry.time,
    logRef: {
      logIndex: Number(m[1]),
      leafHash: m[2] as string,
      ...(m[3] === undefined ? {} : { runId: m[3] }),
      ...(m[4] === undefined ? {} : { blockId: m[4] }),
    },
  };
}

/**
 * True for lines that claim to be tickets: entries whose action is TICKET, and lines of no entry shape that
 * contain the marker. An `[EXECUTE]` line whose text quotes `[TICKET]` (say, in a block's error) is not one.
 */
export function looksLikeTicketLine(line: string): boolean {
  const entry = historyEntry(line);
  return entry ? entry.action === 'TICKET' : line.includes('[TICKET]');
}

const RECORD = ' {record ';

/** The text after `[EXECUTE] `: the human text, then the signed run record (whole or by log reference). */
export function executeLineText(text: string, record: LoggedObject, form: HistoryForm): string {
  const ref = form === 'full' ? record.compact : `log=${record.logIndex} leaf=${record.leafHash}`;
  return `${text}${RECORD}${ref}}`;
}

export type ExecuteText =
  | { readonly text: string; readonly compact: string; readonly logRef?: undefined }
  | { readonly text: string; readonly compact?: undefined; readonly logRef: LogRef }
  | { readonly text: string; readonly compact?: undefined; readonly logRef?: undefined };

/** Splits an `[EXECUTE]` entry's text into the human text and its run record, if it carries one. */
export function parseExecuteText(entryText: string): ExecuteText {
  const trimmed = entryText.trimEnd();
  const at = trimmed.lastIndexOf(RECORD);
  if (at < 0 || !trimmed.endsWith('}')) return { text: trimmed };
  const ref = trimmed.slice(at + RECORD.length, -1);
  const text = trimmed.slice(0, at);
  if (COMPACT.test(ref)) return { text, compact: ref };
  const m = LOG_REF.exec(ref);
  return m ? { text, logRef: { logIndex: Number(m[1]), leafHash: m[2] as string } } : { text: trimmed };
}

const BREAKS = /\s*[\r\n\u0085\u2028\u2029]+\s*/g;
const UNSAFE = /[\p{Cc}\p{Cf}]/gu;

/**
 * Free text made safe for one History line: line breaks fold to a space, other control and format characters
 * (escape sequences, bidirectional overrides, zero-width characters) become `\u{…}`, and the result is cut to
 * `max` characters. Text from a block (its error message) can then neither start a new History line nor hide
 * what it says.
 */
export function historyText(text: string, max = 1000): string {
  const folded = text
    .replace(BREAKS, ' ')
    .replace(/\t/g, ' ')
    .replace(UNSAFE, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`)
    .trim();
  if (folded.length <= max) return folded;
  let cut = folded.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
