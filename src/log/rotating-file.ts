/**
 * The log file: appended one JSON line at a time (O_APPEND, mode 0600), size-bounded by rotation. Past
 * `maxBytes` the file is renamed to `<file>.1` (replacing the previous old file) and a new one started, so
 * the logs never take more than about twice `maxBytes`. Synchronous writes: the daemon logs a few lines an
 * hour, and a line written before a crash is a line kept.
 */
import { closeSync, fstatSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { openOwnedAppendSync, ownedDirSync } from '../fs/owned-dir.js';

export const DEFAULT_MAX_LOG_BYTES = 5 * 1024 * 1024;

export class RotatingFile {
  private fd: number | undefined;
  private size = 0;

  constructor(
    readonly file: string,
    readonly maxBytes: number = DEFAULT_MAX_LOG_BYTES,
  ) {}

  private open(): number {
    if (this.fd === undefined) {
      // Never through a link (a daemon.log linked to ~/.bashrc would append our lines to it), only in
      // our own directory, only a file of ours.
      ownedDirSync(dirname(this.file), { create: true });
      this.fd = openOwnedAppendSync(this.file);
      this.size = fstatSync(this.fd).size;
    }
    return this.fd;
  }

  write(line: string): void {
    try {
      let fd = this.open();
      const bytes = Buffer.byteLength(line);
      if (this.size > 0 && this.size + bytes > this.maxBytes) {
        this.rotate();
        fd = this.open();
      }
      writeSync(fd, line);
      this.size += bytes;
    } catch {
      // A full disk or a removed log directory must not take the daemon down; try once more from scratch.
      this.close();
      try {
        const fd = this.open();
        writeSync(fd, line);
        this.size += Buffer.byteLength(line);
      } catch {
        this.close();
        // Nothing more to do: logging is best effort.
      }
    }
  }

  private rotate(): void {
    this.close();
    try {
      renameSync(this.file, `${this.file}.1`);
    } catch {
      // Someone removed it already; start a new one anyway.
    }
  }

  close(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
  }
}
