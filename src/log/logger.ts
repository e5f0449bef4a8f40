/**
 * The daemon's logger: pino JSON lines into the rotating log file, every record passed through the
 * Redactor first (keys, value patterns and the exact secrets the daemon handled). Also mirrors lines to a
 * stream (the terminal when `daemon` runs in the foreground) in the readable form.
 */
import pino from 'pino';
import { formatLogLine } from './format.js';
import { processSecrets } from './redact.js';
import { RotatingFile } from './rotating-file.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** Redact this value from every later line (a token the daemon read or received). */
  addSecret(value: string | undefined): void;
  close(): void;
}

export interface LoggerOptions {
  file: string;
  maxBytes?: number;
  level?: LogLevel;
  /** The clock, for the `time` field (ms since epoch). */
  now: () => number;
  /** Also write each line, readable, here (e.g. stderr of a foreground daemon). */
  mirror?: { write(text: string): void };
}

export function createLogger(opts: LoggerOptions): Logger {
  // The process's one set of known secrets: what the daemon read or received is redacted everywhere.
  const redactor = processSecrets;
  const file = new RotatingFile(opts.file, opts.maxBytes);
  const dest = {
    write(line: string) {
      file.write(line);
      if (opts.mirror) opts.mirror.write(`${formatLogLine(line)}\n`);
    },
  };
  const p = pino(
    {
      level: opts.level ?? 'info',
      base: { pid: process.pid },
      timestamp: () => `,"time":${opts.now()}`,
      formatters: { level: (label) => ({ level: label }) },
    },
    dest,
  );
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    const clean = fields ? (redactor.redact(fields) as Record<string, unknown>) : {};
    p[level](clean, redactor.redactString(msg));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    addSecret: (v) => redactor.addSecret(v),
    close: () => file.close(),
  };
}
