/**
 * The Audit page: the log's size, root and latest signed checkpoint; an inclusion proof checked here in the
 * browser (lib/merkle-proof.ts: the leaf hashed from the entry's own text, the RFC 9162 proof walked up to the
 * root, the root compared with the checkpoint's), not taken on the gateway's word; and tickets per head.
 * The checkpoint's ML-DSA and Ed25519 signatures are not checked in the page: `maml audit verify --checkpoint`
 * does that with the verifier keys shown here.
 */
import { api } from '../api.js';
import { errorNotice, heading, type Page } from '../common.js';
import { fill, h } from '../dom.js';
import { checkTicketProof, type ProofAnswer } from '../../lib/merkle-proof.js';

interface Checkpoint {
  origin: string;
  size: number;
  rootHash: string;
  checkpoint: string;
  checkpointKey: string;
  ed25519CheckpointKey: string;
}

export const auditPage: Page = (view, param) => {
  const head = h('div', {});
  const input = h('input', {
    id: 'ticket',
    type: 'text',
    inputmode: 'numeric',
    pattern: '[0-9]+',
    required: true,
    value: /^\d+$/.test(param) ? param : '',
  });
  const result = h('div', { class: 'proof', 'aria-live': 'polite' });
  const perHead = h('div', {});

  const check = async (): Promise<void> => {
    const index = input.value.trim();
    if (!/^(0|[1-9][0-9]{0,14})$/.test(index))
      return fill(result, h('p', { class: 'notice error' }, 'Give a log index: a whole number such as 0 or 12.'));
    fill(result, h('p', {}, 'Checking…'));
    try {
      const answer = await api.get<ProofAnswer & { kind: string; runId: string; blockId: string | null }>(
        `/v1/tickets/${index}`,
      );
      if (typeof globalThis.crypto?.subtle?.digest !== 'function')
        return fill(
          result,
          h(
            'p',
            { class: 'notice error' },
            'This browser gives SHA-256 only to secure pages (HTTPS or localhost); open the dashboard that way to check proofs here.',
          ),
        );
      const c = await checkTicketProof(answer);
      const item = (ok: boolean, text: string): HTMLElement =>
        h('li', { class: ok ? 'ok' : 'bad' }, ok ? '✓ ' : '✗ ', text);
      fill(
        result,
        h(
          'p',
          { class: `verdict ${c.ok ? 'ok' : 'bad'}`, 'data-verdict': c.ok ? 'ok' : 'bad' },
          c.ok ? `Entry ${index} is in the log (checked in this browser).` : `Entry ${index} did NOT verify.`,
        ),
        h(
          'ul',
          { class: 'checks' },
          item(c.leafMatches, `leaf hash SHA-256(0x00 ‖ entry) = ${answer.leafHash}`),
          item(
            c.included,
            `inclusion proof of ${answer.inclusionProof.length} hashes leads to root ${answer.rootHash} of ${answer.treeSize} entries`,
          ),
          item(c.checkpointMatches, 'the signed checkpoint names that size and root'),
        ),
        h(
          'p',
          {},
          `${answer.kind === 'ticket' ? `Ticket of block ${answer.blockId ?? '?'}` : 'Run record'} in run `,
          h('a', { href: `#/runs/${encodeURIComponent(answer.runId)}` }, answer.runId),
          '.',
        ),
        h('pre', { class: 'value' }, answer.compact),
      );
    } catch (error) {
      fill(result, errorNotice(error));
    }
  };

  void (async () => {
    try {
      const [cp, heads] = await Promise.all([
        api.get<Checkpoint>('/v1/audit/checkpoint'),
        api.get<{ heads: { name: string; tickets: number }[] }>('/v1/heads'),
      ]);
      fill(
        head,
        h(
          'dl',
          { class: 'meta' },
          h('dt', {}, 'Entries'),
          h('dd', { 'data-log-size': cp.size }, cp.size),
          h('dt', {}, 'Root hash'),
          h('dd', {}, h('code', {}, cp.rootHash)),
          h('dt', {}, 'Origin'),
          h('dd', {}, cp.origin),
        ),
        h('h2', {}, 'Latest signed checkpoint'),
        h('pre', { class: 'value' }, cp.checkpoint),
        h(
          'details',
          {},
          h('summary', {}, 'Verifier keys'),
          h('pre', { class: 'value' }, `${cp.checkpointKey}\n${cp.ed25519CheckpointKey}`),
        ),
      );
      fill(
        perHead,
        h(
          'table',
          {},
          h('caption', {}, 'Tickets signed per head'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Head'), h('th', { scope: 'col' }, 'Tickets'))),
          h(
            'tbody',
            {},
            ...heads.heads.map((x) =>
              h('tr', {}, h('th', { scope: 'row' }, x.name), h('td', { class: 'num' }, x.tickets)),
            ),
          ),
        ),
      );
    } catch (error) {
      fill(head, errorNotice(error));
    }
  })();
  view.append(
    heading('Audit log'),
    head,
    h('h2', {}, 'Check an inclusion proof'),
    h(
      'form',
      {
        class: 'inline',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void check();
        },
      },
      h('label', { for: 'ticket' }, 'Log index of a ticket or run record'),
      input,
      h('button', { type: 'submit' }, 'Check in this browser'),
    ),
    result,
    h('h2', {}, 'Tickets per head'),
    perHead,
  );
  if (input.value) void check();
  return () => undefined;
};
