/** The worker side of one message: validate and serialize, or report the error as data. */
import { serializeError } from '../../shared/index.js';
import type { FromWorker, ToWorker } from './messages.js';
import { validationAnswer } from './validation-result.js';

export function answer(message: ToWorker): FromWorker {
  switch (message.type) {
    case 'validate':
      try {
        return {
          type: 'answer',
          id: message.id,
          json: JSON.stringify(validationAnswer(message.text, message.profile)),
        };
      } catch (error) {
        return { type: 'error', id: message.id, error: serializeError(error) };
      }
    default: {
      const never: never = message.type;
      throw new RangeError(`unknown message ${String(never)}`);
    }
  }
}
