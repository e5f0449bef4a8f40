// Reads FILE in a tight loop until STOP exists: counts reads, torn/empty contents, and decreases of
// expiresAt between two reads (an older token over a newer one).
import { existsSync, readFileSync } from 'node:fs';

const [file, stop] = process.argv.slice(2);
let reads = 0;
let torn = 0;
let decreases = 0;
let last = 0;
const examples = [];
while (!existsSync(stop)) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue;
  }
  reads++;
  let t;
  try {
    t = Date.parse(JSON.parse(text).expiresAt);
    if (!Number.isFinite(t)) throw new Error('no date');
  } catch {
    torn++;
    if (examples.length < 3) examples.push(text.slice(0, 60));
    continue;
  }
  if (t < last) decreases++;
  last = Math.max(last, t);
}
process.stdout.write(JSON.stringify({ reads, torn, decreases, examples }));
