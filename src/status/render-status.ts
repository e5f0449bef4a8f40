/**
 * The human form of a status report: short, aligned, colour only when asked (the caller decides from the
 * TTY and NO_COLOR). Every string from files or the environment goes through sanitizeLine.
 */
import { timeLeftWords } from '../core/duration-words.js';
import { isValidProfileName } from '../core/profile-name.js';
import { sanitizeLine } from '../core/sanitize.js';
import { shellArg } from '../core/shell-quote.js';
import { shellFix, type UserShell } from '../core/shell-syntax.js';
import { signInCommand } from '../core/sign-in-command.js';
import { combinedFix } from '../core/stray.js';
import { twoIdentitiesWords } from '../core/two-identities.js';
import type { DaemonSessionJson, SessionJson, SourceJson, StatusReport } from './status-report.js';

export interface RenderOptions {
  color: boolean;
  /** HOME, to show paths as ~/... */
  home: string;
  /** The shell the fixes are typed into (default POSIX). */
  shell?: UserShell;
}

type Paint = (text: string) => string;
interface Palette {
  ok: Paint;
  warn: Paint;
  bad: Paint;
  dim: Paint;
}

function palette(color: boolean): Palette {
  const sgr = (code: string): Paint => (color ? (t) => `\u001b[${code}m${t}\u001b[0m` : (t) => t);
  return { ok: sgr('32'), warn: sgr('33'), bad: sgr('31'), dim: sgr('2') };
}

const LABEL_WIDTH = 10;

function tilde(path: string, home: string): string {
  return path === home ? '~' : path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

function utc(isoString: string): string {
  return `${isoString.slice(0, 10)} ${isoString.slice(11, 16)} UTC`;
}

function describeSource(source: SourceJson, home: string): string {
  switch (source.scope) {
    case 'shell':
      return `from the shell environment${source.variable ? ` (${source.variable})` : ''}`;
    case 'default':
      return 'the SDK default: no AWS_PROFILE set';
    case 'aws-config':
      return `the profile's region${source.file ? ` in ${tilde(sanitizeLine(source.file), home)}` : ''}`;
    case 'claude-default':
      return "Claude Code's default: no region set";
    case 'unset':
      return 'not set';
    default:
      return `from ${source.scope} settings ${source.file ? tilde(sanitizeLine(source.file), home) : ''}${source.variable ? ` (${source.variable})` : ''}`.trimEnd();
  }
}

/** A profile name as shown, quoted for a command line; a value that is not one is never echoed. */
function profileShown(name: string, invalid = '(not a profile name)'): string {
  return isValidProfileName(name) ? shellArg(name) : invalid;
}
const REFUSED: Record<string, string> = {
  invalid_grant: 'AWS refused the refresh',
  'registration-expired': 'the SSO client registration expired',
};

function sessionLine(s: SessionJson, p: Palette, profile: string): string {
  const left = s.msLeft === null ? '' : timeLeftWords(s.msLeft);
  const until = s.expiresAt ? ` (${utc(s.expiresAt)})` : '';
  const signIn = signInCommand(s.profile ?? profile);
  const refresh = s.refused
    ? `not refreshable: ${REFUSED[s.refused.reason] ?? 'refused'}${s.refused.at ? ` ${utc(s.refused.at)}` : ''}; sign in again: ${signIn}`
    : s.refreshable
      ? 'refreshable'
      : `not refreshable: when it ends, sign in: ${signIn}`;
  const who = s.profile && s.profile !== profile ? ` [session of '${sanitizeLine(s.profile)}']` : '';
  // The session's end, not the access token's minutes (renewed every hour while refreshable).
  const life = s.end ? `session ${sanitizeLine(s.end.words)}` : `${left} left${until}`;
  switch (s.status) {
    case 'valid':
      return `${p.ok('valid')}, ${life}, ${refresh}${who}`;
    case 'expiring':
      return `${p.warn('expiring')}, ${life}, ${refresh}${who}`;
    case 'expired':
      // `login` refreshes silently when it still can, else opens the browser: one fix for both.
      return `${p.bad(left || 'expired')}${until}${who}; sign in: ${signIn}`;
    case 'missing':
      return `${p.bad('not signed in')}: ${sanitizeLine(s.reason ?? 'no token cache file')}; run aws sso login --profile ${profileShown(s.profile ?? profile, '<profile>')}`;
    case 'invalid':
      return `${p.bad('unusable token cache')}: ${sanitizeLine(s.reason ?? '')}${s.cacheFile ? ` (${sanitizeLine(s.cacheFile)})` : ''}`;
    default:
      return p.dim('no SSO session for this profile');
  }
}

const NEXT: Record<string, string> = {
  refresh: 'refresh',
  retry: 'retry the refresh',
  notify: 'notify',
  ended: 'session ends',
  login: 'sign in',
};

/** One session as the daemon sees it, every time in the `2026-12-02 18:09 UTC` form. */
function daemonSessionLine(s: DaemonSessionJson): string {
  const last = s.lastRefresh ? utc(s.lastRefresh) : 'never';
  const refused = s.refusedAt ? `, AWS refused the refresh ${utc(s.refusedAt)}` : '';
  const next = s.next
    ? `${NEXT[s.next.action] ?? sanitizeLine(s.next.action)} ${utc(s.next.at)}`
    : sanitizeLine(s.nextAction ?? 'nothing planned');
  return `${sanitizeLine(s.name)}: last refresh ${last}${refused}; next: ${next}`;
}

function authLine(r: StatusReport): string {
  switch (r.auth.kind) {
    case 'bearer-token':
      return 'Bedrock API key (AWS_BEARER_TOKEN_BEDROCK): the AWS credential chain is skipped';
    case 'env-keys':
      return 'static keys from the environment (AWS_ACCESS_KEY_ID)';
    default: {
      const kind = r.profile.kind ?? 'unknown (AWS config unreadable)';
      const extra = r.auth.awsAuthRefresh
        ? ', awsAuthRefresh set'
        : r.auth.awsCredentialExport
          ? ', awsCredentialExport set'
          : '';
      return `profile, kind ${kind}${extra}`;
    }
  }
}

function strayLines(stray: StatusReport['stray'], p: Palette): string[] {
  return stray.map(
    (f) => (f.severity === 'error' ? p.bad('! ') : p.warn('~ ')) + sanitizeLine(f.explanation),
  );
}

export function renderStatus(r: StatusReport, opts: RenderOptions): string {
  const p = palette(opts.color);
  const h = opts.home;
  const lines: string[] = [];
  const row = (label: string, first: string, ...more: string[]) => {
    lines.push(`${p.dim(label.padEnd(LABEL_WIDTH))}${first}`);
    for (const m of more) lines.push(`${' '.repeat(LABEL_WIDTH)}${m}`);
  };

  row(
    'directory',
    `${tilde(sanitizeLine(r.cwd), h)}${r.gitRoot ? p.dim(`  (git root ${tilde(sanitizeLine(r.gitRoot), h)})`) : ''}`,
  );
  row('profile', `${profileShown(r.profile.name)}  ${p.dim(describeSource(r.profile.source, h))}`);
  row(
    'region',
    `${r.region.value ? sanitizeLine(r.region.value) : p.bad('none')}  ${p.dim(describeSource(r.region.source, h))}`,
  );
  row(
    'bedrock',
    `${r.bedrock.enabled ? p.ok('on') : p.warn('off')}${r.bedrock.value !== null ? ` (CLAUDE_CODE_USE_BEDROCK=${sanitizeLine(r.bedrock.value)})` : ''}  ${p.dim(describeSource(r.bedrock.source, h))}`,
  );
  if (r.model?.value)
    row('model', `${sanitizeLine(r.model.value)}  ${p.dim(describeSource(r.model.source, h))}`);
  if (r.identities) {
    const b = r.identities.bedrock;
    row(
      'identity',
      sanitizeLine(twoIdentitiesWords(b, r.identities.agent)),
      p.dim(
        `Bedrock through awsCredentialExport, profile kind ${b.kind ?? 'unknown (AWS config unreadable)'}`,
      ),
    );
    row(
      'session',
      `Bedrock (${sanitizeLine(b.profile)}): ${sessionLine(b.session, p, b.profile)}`,
      `agent's (${sanitizeLine(r.profile.name)}): ${sessionLine(r.session, p, r.profile.name)}`,
    );
  } else {
    row('auth', authLine(r));
    row('session', sessionLine(r.session, p, r.profile.name));
  }

  const sub = r.subdirectory;
  if (sub.profile.name !== r.profile.name || sub.region.value !== r.region.value) {
    row(
      'subdir',
      `Claude Code started in a subdirectory would use profile ${profileShown(sub.profile.name)} (${describeSource(sub.profile.source, h)})` +
        (sub.region.value !== r.region.value ? `, region ${sanitizeLine(sub.region.value ?? 'none')}` : ''),
    );
  }
  if (r.ignoredAncestorSettings.length > 0) {
    const [first, ...rest] = r.ignoredAncestorSettings.map((f) => tilde(sanitizeLine(f), h));
    row(
      'ignored',
      first!,
      ...rest,
      p.dim('Claude Code reads .claude/settings.json only in the directory it starts in'),
    );
  }
  if (r.stray.length > 0) {
    const [first, ...rest] = strayLines(r.stray, p);
    row('stray', first!, ...rest);
    const [fix, ...moreFixes] = combinedFix(r.stray).map((f) => shellFix(f, opts.shell ?? 'posix'));
    row('fix', fix!, ...moreFixes);
  }
  const badFiles = r.settingsFiles.filter((f) => f.status === 'invalid');
  if (badFiles.length > 0) {
    const [first, ...rest] = badFiles.map((f) => p.bad(sanitizeLine(f.error ?? `${f.file}: invalid`)));
    row('invalid', first!, ...rest);
  }
  if (r.daemon) {
    const d = r.daemon;
    row(
      'daemon',
      d.running ? `${p.ok('running')}${d.pid !== null ? ` (pid ${d.pid})` : ''}` : p.warn('not running'),
      ...d.sessions.map(daemonSessionLine),
    );
  }
  if (r.notes.length > 0) {
    const [first, ...rest] = r.notes.map((n) => p.warn(sanitizeLine(n)));
    row('note', first!, ...rest);
  }
  return `${lines.join('\n')}\n`;
}
