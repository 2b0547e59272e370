/**
 * Parses, validates and formats the document on standard input and prints its diagnostic codes as JSON. The
 * hostile-input tests run it as a child process with a small heap and a time limit, so that an input that would
 * exhaust memory or never finish fails the test instead of ending or stalling the test runner.
 */
import { readFileSync } from 'node:fs';
import { format, parse, validate } from '../../src/format/index.js';

const doc = parse(readFileSync(0, 'utf8'));
const codes = validate(doc).map((d) => d.code);
format(doc);
process.stdout.write(JSON.stringify(codes));
