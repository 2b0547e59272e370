#!/usr/bin/env node
// Writes schema/maml.schema.json from the compiled FRONT_MATTER_SCHEMA (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { FRONT_MATTER_SCHEMA } from '../dist/format/index.js';

writeFileSync(
  new URL('../schema/maml.schema.json', import.meta.url),
  `${JSON.stringify(FRONT_MATTER_SCHEMA, null, 2)}\n`,
);
console.log('wrote schema/maml.schema.json');
