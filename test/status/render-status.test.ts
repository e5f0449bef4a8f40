/** The human rendering of each session state, the daemon block and hostile strings, from report objects. */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/status/render-status.js';
import type { SessionJson, StatusReport } from '../../src/status/status-report.js';

const base: StatusReport = {
  schema: 1,
  cwd: '/home/u/src/acme',
  gitRoot: '/home/u/src/acme',
  bedrock: { enabled: true, value: '1', source: { scope: 'user', file: '/home/u/.claude/settings.json' } },
  profile: {
    name: 'acme',
    source: { scope: 'project', file: '/home/u/src/acme/.claude/settings.json' },
    kind: 'sso',
    definedIn: [],
  },
  region: { value: 'us-east-1', source: { scope: 'user', file: '/home/u/.claude/settings.json' } },
  model: null,
  auth: { kind: 'profile', awsAuthRefresh: null, awsCredentialExport: null },
  session: {
    status: 'valid',
    profile: 'acme',
    expiresAt: '2026-11-24T14:00:00.000Z',
    msLeft: 42 * 60_000,
    refreshable: true,
    registrationExpiresAt: null,
    cacheFile: '/home/u/.aws/sso/cache/x.json',
    reason: null,
  },
  stray: [],
  subdirectory: {
    profile: { name: 'acme', source: { scope: 'user', file: '/home/u/.claude/settings.json' } },
    region: { value: 'us-east-1', source: { scope: 'user', file: '/home/u/.claude/settings.json' } },
  },
  ignoredAncestorSettings: [],
  settingsFiles: [],
  notes: [],
};
const render = (r: Partial<StatusReport>, color = false) =>
  renderStatus({ ...base, ...r }, { color, home: '/home/u' });
const session = (s: Partial<SessionJson>) => render({ session: { ...base.session, ...s } });

describe('renderStatus', () => {
  it('a consistent setup: no subdir, stray, invalid or note rows', () => {
    expect(render({})).toBe(
      [
        'directory ~/src/acme  (git root ~/src/acme)',
        'profile   acme  from project settings ~/src/acme/.claude/settings.json',
        'region    us-east-1  from user settings ~/.claude/settings.json',
        'bedrock   on (CLAUDE_CODE_USE_BEDROCK=1)  from user settings ~/.claude/settings.json',
        'auth      profile, kind sso',
        'session   valid, 42m left (2026-11-24 14:00 UTC), refreshable',
        '',
      ].join('\n'),
    );
  });

  it.each<[Partial<SessionJson>, RegExp]>([
    [
      { status: 'expiring', msLeft: 9 * 60_000, refreshable: false },
      /^session {3}expiring, 9m left \(.*\), not refreshable: when it ends, sign in: bedrock-profile login --profile acme$/m,
    ],
    [
      { status: 'expired', msLeft: -65 * 60_000 },
      /^session {3}expired 1h 5m ago \(2026-11-24 14:00 UTC\); sign in: bedrock-profile login --profile acme$/m,
    ],
    [
      { status: 'missing', expiresAt: null, msLeft: null, reason: 'no file' },
      /^session {3}not signed in: no file; run aws sso login --profile acme$/m,
    ],
    [
      { status: 'invalid', reason: 'the file has no accessToken' },
      /^session {3}unusable token cache: the file has no accessToken \(.*x\.json\)$/m,
    ],
    [{ status: 'not-sso', profile: null }, /^session {3}no SSO session for this profile$/m],
    [
      { refreshable: false, refused: { reason: 'invalid_grant', at: '2026-11-24T13:20:00.000Z' } },
      /^session {3}valid, 42m left \(2026-11-24 14:00 UTC\), not refreshable: AWS refused the refresh 2026-11-24 13:20 UTC; sign in again: bedrock-profile login --profile acme$/m,
    ],
    [{ profile: 'corp-sso' }, /\[session of 'corp-sso'\]$/m],
  ])('session %o', (s, line) => expect(session(s)).toMatch(line));

  it('the daemon block renders when the daemon section is present', () => {
    const out = render({
      daemon: {
        running: true,
        pid: 4242,
        sessions: [
          {
            name: 'corp (acme, acme-admin)',
            lastRefresh: '2026-11-24T13:00:00.000Z',
            nextAction: 'refresh at 2026-11-24T13:40:00.000Z',
            next: { action: 'refresh', at: '2026-11-24T13:40:00.000Z' },
          },
          {
            name: 'old (legacy)',
            lastRefresh: null,
            nextAction: 'the session ends at 2026-11-24T14:00:00.000Z',
            next: { action: 'ended', at: '2026-11-24T14:00:00.000Z' },
            refusedAt: '2026-11-24T13:10:00.000Z',
          },
        ],
      },
    });
    // One time style, no raw ISO time.
    expect(out).toMatch(
      /^daemon {4}running \(pid 4242\)\n {10}corp \(acme, acme-admin\): last refresh 2026-11-24 13:00 UTC; next: refresh 2026-11-24 13:40 UTC\n {10}old \(legacy\): last refresh never, AWS refused the refresh 2026-11-24 13:10 UTC; next: session ends 2026-11-24 14:00 UTC$/m,
    );
    expect(out).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect(render({ daemon: { running: false, pid: null, sessions: [] } })).toMatch(
      /^daemon {4}not running$/m,
    );
  });

  it('strings from files never carry control characters to the terminal', () => {
    const out = render({
      profile: { ...base.profile, name: 'evil\u001b]0;pwned\u0007\nprofile' },
      notes: ['note with \u001b[2J clear'],
      settingsFiles: [
        { scope: 'project', file: '/x', status: 'invalid', error: '/x:1:1: invalid JSON: \u001b[31m' },
      ],
    });
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('colour only when asked', () => {
    expect(render({}, true)).toContain('\u001b[32mvalid\u001b[0m');
    expect(render({}, false)).not.toContain('\u001b[');
  });
});
