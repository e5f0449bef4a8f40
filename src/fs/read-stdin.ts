/**
 * Read what another program pipes to us (Claude Code's JSON for the status line and hooks): at most
 * `maxBytes`, and never waiting longer than `timeoutMs` for the writer to close (a writer that keeps the
 * pipe open must not hang us). A terminal on stdin is not waited for at all: empty text.
 */
export async function readStdin(
  stream: NodeJS.ReadableStream & { isTTY?: boolean; destroy?: () => void },
  maxBytes = 1024 * 1024,
  timeoutMs = 2000,
): Promise<string> {
  if (stream.isTTY) return '';
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.destroy?.();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(finish, timeoutMs);
    stream.on('data', (d: Buffer | string) => {
      const b = typeof d === 'string' ? Buffer.from(d) : d;
      if (size + b.length > maxBytes) {
        chunks.push(b.subarray(0, maxBytes - size));
        size = maxBytes;
        finish();
        return;
      }
      chunks.push(b);
      size += b.length;
    });
    stream.on('end', finish);
    stream.on('error', finish);
  });
}
