/**
 * Every file and directory the tool reads or writes, derived from the environment passed in.
 * Pure: no fs access. Tests point everything into a temporary HOME by setting env.
 */
import { join } from 'node:path';
import type { Env } from '../context.js';
import { BedrockProfileError, ExitCode } from '../errors.js';

export type Platform = 'darwin' | 'linux' | (string & {});

export interface Paths {
  home: string;
  /** `$XDG_CONFIG_HOME/bedrock-profile` (also on macOS, as most CLIs do): config.json. */
  configDir: string;
  configFile: string;
  /** Per-context hook records; `$XDG_CACHE_HOME/bedrock-profile` or `~/Library/Caches/bedrock-profile`. */
  cacheDir: string;
  recordsDir: string;
  /** One empty file per interactive shell, touched before it reads a record (see src/hook/stamps.ts). */
  stampsDir: string;
  /** Trust list, daemon state, locks: `$XDG_STATE_HOME/bedrock-profile` or `~/Library/Application Support/bedrock-profile`. */
  stateDir: string;
  trustFile: string;
  /** Repos the hooks have visited (the daemon watches their settings). */
  knownReposFile: string;
  daemonStateFile: string;
  /** Logs: `$XDG_STATE_HOME/bedrock-profile` on Linux, `~/Library/Logs/bedrock-profile` on macOS. */
  logDir: string;
  logFile: string;
  /** AWS shared files, honouring AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE. */
  awsConfigFile: string;
  awsCredentialsFile: string;
  ssoCacheDir: string;
  /** Where `aws login` caches console credentials (AWS_LOGIN_CACHE_DIRECTORY, as the SDK reads it). */
  awsLoginCacheDir: string;
  /** Claude Code: `$CLAUDE_CONFIG_DIR` or `~/.claude`. */
  claudeConfigDir: string;
  claudeUserSettings: string;
  /** `~/.claude.json`: Claude's own state file, where people sometimes misplace settings. */
  claudeStateFile: string;
  /** Managed settings directory (file `managed-settings.json` and folder `managed-settings.d`). */
  managedSettingsDir: string;
}

/** The managed-settings directory Claude Code reads on each platform. */
export function defaultManagedSettingsDir(platform: Platform): string {
  return platform === 'darwin' ? '/Library/Application Support/ClaudeCode' : '/etc/claude-code';
}

function expandTilde(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? join(home, p.slice(2)) : p;
}

export function resolvePaths(env: Env, platform: Platform = process.platform): Paths {
  const home = env.HOME || env.USERPROFILE;
  if (!home) {
    throw new BedrockProfileError(
      'HOME is not set; set HOME to your home directory and run the command again',
      ExitCode.io,
    );
  }
  if (!home.startsWith('/')) {
    // A relative HOME would resolve against the working directory (a repo): nothing may be written there.
    throw new BedrockProfileError(
      'HOME is not an absolute path; set HOME to the absolute path of your home directory and run the command again',
      ExitCode.io,
    );
  }
  const mac = platform === 'darwin';
  const xdg = (name: string, fallback: string) => {
    const v = env[name];
    // The XDG spec says relative values are invalid and must be ignored.
    return v?.startsWith('/') ? v : join(home, fallback);
  };
  const configDir = join(xdg('XDG_CONFIG_HOME', '.config'), 'bedrock-profile');
  const cacheDir = env.XDG_CACHE_HOME?.startsWith('/')
    ? join(env.XDG_CACHE_HOME, 'bedrock-profile')
    : mac
      ? join(home, 'Library', 'Caches', 'bedrock-profile')
      : join(home, '.cache', 'bedrock-profile');
  const stateDir = env.XDG_STATE_HOME?.startsWith('/')
    ? join(env.XDG_STATE_HOME, 'bedrock-profile')
    : mac
      ? join(home, 'Library', 'Application Support', 'bedrock-profile')
      : join(home, '.local', 'state', 'bedrock-profile');
  const logDir = mac && !env.XDG_STATE_HOME ? join(home, 'Library', 'Logs', 'bedrock-profile') : stateDir;
  const claudeConfigDir = env.CLAUDE_CONFIG_DIR
    ? expandTilde(env.CLAUDE_CONFIG_DIR, home)
    : join(home, '.claude');
  return {
    home,
    configDir,
    configFile: join(configDir, 'config.json'),
    cacheDir,
    recordsDir: join(cacheDir, 'records'),
    stampsDir: join(cacheDir, 'stamps'),
    stateDir,
    trustFile: join(stateDir, 'trust.json'),
    knownReposFile: join(stateDir, 'known-repos.json'),
    daemonStateFile: join(stateDir, 'daemon.json'),
    logDir,
    logFile: join(logDir, 'daemon.log'),
    awsConfigFile: env.AWS_CONFIG_FILE
      ? expandTilde(env.AWS_CONFIG_FILE, home)
      : join(home, '.aws', 'config'),
    awsCredentialsFile: env.AWS_SHARED_CREDENTIALS_FILE
      ? expandTilde(env.AWS_SHARED_CREDENTIALS_FILE, home)
      : join(home, '.aws', 'credentials'),
    ssoCacheDir: join(home, '.aws', 'sso', 'cache'),
    awsLoginCacheDir: env.AWS_LOGIN_CACHE_DIRECTORY || join(home, '.aws', 'login', 'cache'),
    claudeConfigDir,
    claudeUserSettings: join(claudeConfigDir, 'settings.json'),
    claudeStateFile: join(home, '.claude.json'),
    // Tests (and unusual installs) point this elsewhere; a repo cannot, since repo settings never reach our env.
    managedSettingsDir: env.BEDROCK_PROFILE_MANAGED_DIR || defaultManagedSettingsDir(platform),
  };
}
