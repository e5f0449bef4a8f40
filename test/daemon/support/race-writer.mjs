// Our compare-and-write in another process (what `bedrock-profile refresh` does while the daemon runs):
// writes COUNT tokens with random expiresAt into FILE, printing how many were written / kept.
import { writeRefreshedToken } from '../../../dist/aws/token-cache-write.js';

const [file, lockDir, count, base, spread, tag] = process.argv.slice(2);
let written = 0;
let kept = 0;
for (let i = 0; i < Number(count); i++) {
  const expiresAt = Number(base) + Math.floor(Math.random() * Number(spread)) * 1000;
  const r = await writeRefreshedToken({
    file,
    lockDir,
    now: Date.now,
    next: { accessToken: `${tag}-${i}-${expiresAt}`, expiresAt },
  });
  if (r.status === 'written') written++;
  else kept++;
}
process.stdout.write(JSON.stringify({ written, kept }));
