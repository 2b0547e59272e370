/**
 * A validation worker that misbehaves on request, for the pool's failure tests: the document `CRASH` ends the
 * process, `THROW` throws outside any handler, `HANG` never answers, `OOM` allocates more than the heap limit in one array
 * (the allocation shape that ends a whole process, not just a worker thread); every other document gets the real
 * answer.
 */
import { answer } from '../../src/server/validation/answer.js';
import { serveValidation } from '../../src/server/validation/serve-validation.js';

serveValidation((message) => {
  if (message.text === 'CRASH') process.exit(3);
  if (message.text === 'THROW') throw new Error('worker blew up');
  if (message.text === 'HANG') for (;;);
  // One array far larger than the heap limit, filled by index: V8's "CALL_AND_RETRY_LAST" fatal error.
  if (message.text === 'OOM')
    return { type: 'answer', id: message.id, json: String(new Array(2 ** 28).fill(1).length) };
  return answer(message);
});
