/**
 * Entry of a validation worker process (see validation/validation-pool.ts): parses and validates one document per
 * message and sends back the response body as JSON text.
 */
import { answer } from './validation/answer.js';
import { serveValidation } from './validation/serve-validation.js';

serveValidation(answer);
