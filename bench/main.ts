/**
 * `npm run bench [-- suite-name …] [--quick]`: runs the benchmark suites and prints a table with machine info.
 */
import { SUITES } from './suites.js';
import { formatTable, machineInfo, type BenchRow } from './harness.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const names = args.filter((a) => !a.startsWith('--'));
const selected = names.length > 0 ? SUITES.filter((s) => names.includes(s.name)) : SUITES;
if (names.length > 0 && selected.length !== names.length) {
  const known = SUITES.map((s) => s.name).join(', ');
  console.error(`unknown suite in ${names.join(', ')}; known suites: ${known}`);
  process.exit(2);
}

const rows: BenchRow[] = [];
console.log(`machine: ${machineInfo()}`);
for (const suite of selected) {
  console.log(`running ${suite.name}…`);
  rows.push(...(await suite.run({ quick, log: (line) => console.log(`  ${line}`) })));
}
console.log('');
console.log(formatTable(rows));
