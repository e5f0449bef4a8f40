/**
 * The pure parts of two identities: reading an awsCredentialExport value (ours or not), the command
 * `use --bedrock` writes, the account of a profile, and export's shell lines, evaluated by real bash,
 * zsh and fish with values no AWS key has but a credential_process could print.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatCredentials, formatExpiration, shellSyntaxOf } from '../../src/core/export-format.js';
import {
  bedrockExportProfile,
  exportCommandFor,
  parseExportCommand,
  profileAccount,
  shellWords,
  twoIdentitiesWords,
} from '../../src/core/two-identities.js';

describe('parseExportCommand', () => {
  it.each([
    ['bedrock-profile export --profile ai-platform', 'ai-platform'],
    ['  bedrock-profile export --profile=ai-platform --format claude', 'ai-platform'],
    ["/opt/bp/bin/bedrock-profile export --format process --profile 'ai.platform@corp'", 'ai.platform@corp'],
    ['"/home/me/my tools/bedrock-profile" export --profile p1', 'p1'],
    ['bedrock-profile.js export --profile x', 'x'],
  ])('%s → %s', (cmd, profile) => {
    expect(parseExportCommand(cmd)).toEqual({ profile });
  });

  it('our export without --profile relies on AWS_PROFILE', () => {
    expect(parseExportCommand('bedrock-profile export')).toEqual({});
    expect(bedrockExportProfile('bedrock-profile export', 'dev')).toBeUndefined();
  });

  it.each([
    'aws configure export-credentials --profile p',
    'bedrock-profile login --profile p',
    'bedrock-profile export --profile p; rm -rf ~',
    'bedrock-profile export --profile $(whoami)',
    'bedrock-profile export --profile "$P"',
    'bedrock-profile export --profile `id`',
    'bedrock-profile export --profile',
    'bedrock-profile export --profile bad/name',
    "bedrock-profile export --profile 'unterminated",
    'FOO=1 bedrock-profile export --profile p',
    '',
  ])('not ours, or not a plain command: %j', (cmd) => {
    expect(parseExportCommand(cmd)).toBeUndefined();
  });

  it('one identity when the export names the agent profile itself', () => {
    expect(bedrockExportProfile('bedrock-profile export --profile dev', 'dev')).toBeUndefined();
    expect(bedrockExportProfile('bedrock-profile export --profile ai', 'dev')).toBe('ai');
    expect(bedrockExportProfile(undefined, 'dev')).toBeUndefined();
  });

  it('the command written round-trips, and a shell splits it the same way', () => {
    for (const p of ['ai-platform', 'a.b_c+d=e,f@g-h', 'x'.repeat(128)]) {
      const cmd = exportCommandFor(p);
      expect(parseExportCommand(cmd)).toEqual({ profile: p });
      const sh = spawnSync('sh', ['-c', `printf '%s\\n' ${cmd}`], { encoding: 'utf8' });
      expect(sh.stdout.trimEnd().split('\n')).toEqual(shellWords(cmd));
    }
  });
});

describe('profileAccount and the words', () => {
  it('SSO account id, or a role ARN account, else nothing', () => {
    expect(profileAccount({ ssoAccountId: '444455556666' })).toBe('444455556666');
    expect(profileAccount({ roleArn: 'arn:aws:iam::777788889999:role/x' })).toBe('777788889999');
    expect(profileAccount({ roleArn: 'arn:aws-us-gov:iam::123456789012:role/x' })).toBe('123456789012');
    expect(profileAccount({ ssoAccountId: 'nope' })).toBeUndefined();
    expect(profileAccount({})).toBeUndefined();
    expect(
      twoIdentitiesWords(
        { profile: 'ai-platform', account: '444455556666' },
        { profile: 'dev', account: null },
      ),
    ).toBe("Bedrock: ai-platform (444455556666), agent's AWS commands: dev");
  });
});

describe('export lines in real shells', () => {
  const odd = {
    accessKeyId: 'ASIA0000ODD',
    secretAccessKey: `a'b"c\\d$e\`f g*h`,
    sessionToken: "t'\\'$(touch /tmp/never)",
    expiration: Date.UTC(2026, 11, 3, 11, 0, 0, 999),
  };
  const show =
    'printf "%s|%s|%s|%s" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$AWS_CREDENTIAL_EXPIRATION"';
  const want = `${odd.accessKeyId}|${odd.secretAccessKey}|${odd.sessionToken}|2026-12-03T11:00:00+00:00`;

  it.each(['bash', 'zsh'])('%s: eval gives back every value byte for byte', (sh) => {
    const lines = formatCredentials(odd, 'env', 'posix');
    const r = spawnSync(sh, ['-c', `eval "$1"; ${show}`, sh, lines], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(want);
  });

  it('fish: source gives back every value byte for byte', () => {
    const lines = formatCredentials(odd, 'env', 'fish');
    const r = spawnSync(
      'fish',
      [
        '--no-config',
        '-c',
        `echo $argv[1] | source; printf "%s|%s|%s|%s" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$AWS_CREDENTIAL_EXPIRATION"`,
        lines,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(want);
  });

  it('no token: unset in the shell, absent from the JSON', () => {
    const keys = { accessKeyId: 'AKIA1', secretAccessKey: 's' };
    const r = spawnSync(
      'bash',
      [
        '-c',
        `export AWS_SESSION_TOKEN=old; eval "$1"; echo "\${AWS_SESSION_TOKEN-unset}"`,
        'bash',
        formatCredentials(keys, 'env', 'posix'),
      ],
      { encoding: 'utf8' },
    );
    expect(r.stdout).toBe('unset\n');
    expect(JSON.parse(formatCredentials(keys, 'process', 'posix'))).toEqual({
      Version: 1,
      AccessKeyId: 'AKIA1',
      SecretAccessKey: 's',
    });
    expect(JSON.parse(formatCredentials(keys, 'claude', 'posix'))).toEqual({
      Credentials: { AccessKeyId: 'AKIA1', SecretAccessKey: 's' },
    });
  });

  it('the shell: the hook marker, then $SHELL', () => {
    expect(shellSyntaxOf({ BEDROCK_PROFILE_HOOK: 'fish', SHELL: '/bin/zsh' })).toBe('fish');
    expect(shellSyntaxOf({ BEDROCK_PROFILE_HOOK: 'zsh', SHELL: '/usr/bin/fish' })).toBe('posix');
    expect(shellSyntaxOf({ SHELL: '/usr/local/bin/fish' })).toBe('fish');
    expect(shellSyntaxOf({})).toBe('posix');
    expect(formatExpiration(Date.UTC(2026, 0, 2, 3, 4, 5, 600))).toBe('2026-01-02T03:04:05+00:00');
  });
});
