/**
 * Read a small text file defensively: a FIFO, a device, a huge file, invalid UTF-8 or a symlink loop
 * gives a typed error in words, never a hang or a crash. Everything that reads user- or repo-controlled
 * files goes through here.
 */
import { constants, promises as fsp } from 'node:fs';
import { describeFsError, FileAccessError } from '../errors.js';

/** Settings and config files are a few KiB; anything above this is not one of them. */
export const MAX_TEXT_FILE_BYTES = 1024 * 1024;

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

function tooBig(file: string, size: number): FileAccessError {
  return new FileAccessError(
    file,
    `is ${size} bytes, larger than the ${MAX_TEXT_FILE_BYTES} we read`,
    'replace it with the real file',
  );
}

function decode(file: string, buf: Uint8Array): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw new FileAccessError(file, 'is not valid UTF-8', 'save it as UTF-8');
  }
}

function notRegular(file: string): FileAccessError {
  return new FileAccessError(file, 'is not a regular file', 'replace it with a regular file');
}

/** Returns undefined when the file does not exist; throws FileAccessError for anything else wrong. */
export async function readTextFile(
  file: string,
  maxBytes = MAX_TEXT_FILE_BYTES,
): Promise<string | undefined> {
  let handle: fsp.FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not block.
    handle = await fsp.open(file, OPEN_FLAGS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw new FileAccessError(file, describeFsError(err), 'check the file and its permissions');
  }
  try {
    return await readTextFileFrom(handle, file, maxBytes);
  } finally {
    await handle.close();
  }
}

/** The read itself, from an open handle (the caller closes it): regular file, size limit, UTF-8. */
export async function readTextFileFrom(
  handle: fsp.FileHandle,
  file: string,
  maxBytes = MAX_TEXT_FILE_BYTES,
): Promise<string> {
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw notRegular(file);
    if (st.size > maxBytes) throw tooBig(file, st.size);
    const buf = Buffer.alloc(st.size);
    let read = 0;
    while (read < st.size) {
      const { bytesRead } = await handle.read(buf, read, st.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return decode(file, buf.subarray(0, read));
  } catch (err) {
    if (err instanceof FileAccessError) throw err;
    throw new FileAccessError(file, describeFsError(err), 'check the file and its permissions');
  }
}
