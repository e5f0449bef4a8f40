/**
 * Typed errors. Every message ends with the fix, so the CLI's one catch can print it as is.
 * Library code throws these; only src/cli.ts turns them into output and an exit code.
 */

/** Exit codes, documented in the README. */
export const ExitCode = {
  ok: 0,
  /** A check failed or the thing asked for is not in the state wanted (doctor fail, login failed). */
  failure: 1,
  /** The command line was wrong. */
  usage: 2,
  /** A file we must read is invalid (bad JSON, bad config value). */
  badInput: 3,
  /** A file or directory we need is missing or unreadable. */
  io: 4,
  /** Another instance holds the lock (daemon, sign-in). */
  busy: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class BedrockProfileError extends Error {
  override readonly name: string = 'BedrockProfileError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failure,
  ) {
    super(message);
  }
}

/** A usage mistake on the command line. */
export class UsageError extends BedrockProfileError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** JSON that does not parse; carries file, line and column (1-based). */
export class InvalidJsonError extends BedrockProfileError {
  override readonly name = 'InvalidJsonError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(
      `${file}:${line}:${column}: invalid JSON: ${detail}; fix the file and run the command again`,
      ExitCode.badInput,
    );
  }
}

/** A value in a file that parses but is not what we accept (config key, settings type). */
export class InvalidValueError extends BedrockProfileError {
  override readonly name = 'InvalidValueError';
  constructor(
    readonly file: string,
    readonly key: string,
    message: string,
  ) {
    super(`${file}: ${key}: ${message}`, ExitCode.badInput);
  }
}

/** A file or directory that cannot be read or written. */
export class FileAccessError extends BedrockProfileError {
  override readonly name = 'FileAccessError';
  constructor(
    readonly file: string,
    readonly reason: string,
    fix: string,
  ) {
    super(`${file}: ${reason}; ${fix}`, ExitCode.io);
  }
}

/**
 * One of our directories or files that we refuse to use: a symlink, another user's, writable by others
 * (src/fs/owned-dir.ts). One line: the path, why, the fix.
 */
export class UnsafePathError extends BedrockProfileError {
  override readonly name = 'UnsafePathError';
  constructor(
    readonly path: string,
    readonly reason: string,
    fix: string,
  ) {
    super(`refusing to use ${path}: it ${reason}; ${fix}`, ExitCode.io);
  }
}

/** Another process holds a lock we need. */
export class BusyError extends BedrockProfileError {
  override readonly name = 'BusyError';
  constructor(message: string) {
    super(message, ExitCode.busy);
  }
}

/** Describe a Node fs error in words a person reads (no stack, no errno number). */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EFBIG':
      return 'file too large for this process (its file size limit, ulimit -f, was reached)';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EROFS':
      return 'read-only file system';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return code ? `cannot be accessed (${code})` : String((err as Error)?.message ?? err);
  }
}

/** A Node fs error that escaped typed handling, turned into words: the path, what went wrong, the fix. */
export function fsErrorToUserError(err: unknown): FileAccessError | undefined {
  const e = err as NodeJS.ErrnoException | undefined;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || typeof e.syscall !== 'string')
    return undefined;
  return new FileAccessError(
    e.path ?? e.syscall,
    describeFsError(e),
    'free space or fix the permissions and run the command again',
  );
}
