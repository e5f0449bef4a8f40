// Our compare-and-write in a tight loop, for kill -9 at a random moment: writes tokens whose value encodes
// their expiresAt (`tok-<seconds>`), each later than the last, until killed. Prints "ready" once started.
import { writeRefreshedToken } from '../../../dist/aws/token-cache-write.js';

const [file, lockDir, base] = process.argv.slice(2);
let s = Math.floor(Number(base) / 1000);
process.stdout.write('ready\n');
for (;;) {
  s += 1;
  await writeRefreshedToken({
    file,
    lockDir,
    now: Date.now,
    next: { accessToken: `tok-${s}`, expiresAt: s * 1000, refreshToken: `rt-${s}` },
  });
}
