/**
 * The worker process's side of the pool: answers each message with `handle`, says when it is ready, reports an
 * uncaught exception before exiting, and exits when the pool goes away. Shared by the real entry
 * (../validate-worker.ts) and the misbehaving one the pool's tests use.
 */
import type { FromWorker, ToWorker } from './messages.js';

const WARM_UP = '---\nmaml_version: "1.0"\ntype: workflow\n---\n\n## Intent\n\nWarm up.\n';

export function serveValidation(handle: (message: ToWorker) => FromWorker): void {
  const send = (message: FromWorker, then?: () => void): void => {
    if (process.send) process.send(message, undefined, undefined, () => then?.());
    else then?.();
  };
  process.on('uncaughtException', (error) => {
    // The pool fails the document at hand with this message; exit once it is on its way.
    send({ type: 'failure', message: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
  });
  process.on('message', (message: ToWorker) => send(handle(message)));
  // The gateway ended (or closed the channel): nothing is left to answer.
  process.on('disconnect', () => process.exit(0));
  // One document before saying ready, so that compiling the front-matter schema and warming the parser are not
  // counted against the first real document's time limit.
  handle({ type: 'validate', id: 0, text: WARM_UP, profile: 'strict' });
  send({ type: 'ready' });
}
