#!/usr/bin/env node
// Runs every compiled test file under .build/test with Node's built-in test runner. Node 20 takes no glob on
// the command line, so the files are listed here. A run that finds no test file fails.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = '.build/test';
const filter = process.argv.slice(2);
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.js') && (filter.length === 0 || filter.some((f) => path.includes(f))))
      files.push(path);
  }
}
walk(root);
if (files.length === 0) {
  console.error(`no test files found under ${root}${filter.length ? ` matching ${filter.join(', ')}` : ''}`);
  process.exit(1);
}
// Test files run in parallel processes. Most of their time is spent waiting on child processes (sandboxed blocks,
// heads, the CLI, databases), so more files than cores keep the machine busy; MAML_TEST_CONCURRENCY overrides.
const concurrency = Number(process.env.MAML_TEST_CONCURRENCY ?? 4);
const result = spawnSync(
  process.execPath,
  ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
