// One of several processes racing for the same lock, for the lock tests: argv <data dir> <start at, epoch ms>.
// Waits for the start time, then prints `held` and keeps the lock until it is killed, or prints `refused`.
import { lockDataDir } from '../../../src/runtime/index.js';

const [dataDir, startAt] = process.argv.slice(2);
while (Date.now() < Number(startAt)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
try {
  lockDataDir(dataDir ?? '');
  process.stdout.write('held\n');
  setInterval(() => undefined, 60_000);
} catch {
  process.stdout.write('refused\n');
}
