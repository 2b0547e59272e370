// Opens an embedded run database and keeps it open, for the lock tests: argv <data dir> [write]. Prints `open` once
// the database is open; with `write` it then inserts rows until it is killed, printing `wrote` after the first batch.
import { openDatabase } from '../../../src/runtime/index.js';

const [dataDir, mode] = process.argv.slice(2);
const db = await openDatabase({ url: '', dataDir: dataDir ?? '' });
await db.exec('CREATE TABLE IF NOT EXISTS filler (id serial PRIMARY KEY, v text)');
process.stdout.write('open\n');
if (mode === 'write')
  for (let batch = 0; ; batch++) {
    await db.query("INSERT INTO filler (v) SELECT repeat('x', 500) FROM generate_series(1, 20)", []);
    if (batch === 0) process.stdout.write('wrote\n');
  }
else setInterval(() => undefined, 60_000);
