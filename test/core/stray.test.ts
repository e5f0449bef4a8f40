/**
 * The stray-variable rules, one case per rule and consumer, on the pure function. The CLI-level table
 * (test/status) runs the same rules through fixture homes and the built binary.
 */
import { describe, expect, it } from 'vitest';
import { analyzeStray, combinedFix } from '../../src/core/stray.js';
import type { Consumer, SettingsScope, Sourced, StrayFinding } from '../../src/core/types.js';

type Layered = Record<string, [string, SettingsScope]>;
function sourced(vars: Layered): Record<string, Sourced<string>> {
  return Object.fromEntries(
    Object.entries(vars).map(([k, [value, scope]]) => [k, { value, scope, file: `/${scope}.json` }]),
  );
}
/** Settings where `project` vars exist only in the start directory's file (absent from subdirEnv). */
function settings(vars: Layered) {
  const env = sourced(vars);
  const subdirEnv = Object.fromEntries(Object.entries(env).filter(([, v]) => v.scope !== 'project'));
  return { env, subdirEnv };
}
const REPO = settings({
  AWS_PROFILE: ['acme', 'project'],
  AWS_REGION: ['us-east-1', 'user'],
  CLAUDE_CODE_USE_BEDROCK: ['1', 'user'],
});

function run(shellEnv: Record<string, string>, s = REPO, awsCliVersion: 1 | 2 = 2): StrayFinding[] {
  return analyzeStray({
    settings: s,
    shellEnv,
    profile: { name: 'acme', kind: 'sso', definedIn: ['/c'] },
    awsCliVersion,
  });
}
const byName = (f: StrayFinding[]) =>
  Object.fromEntries(f.map((x) => [x.name, x.consumers])) as Record<string, Consumer[]>;

describe('analyzeStray', () => {
  it('nothing when the shell agrees with the settings', () => {
    expect(
      run({ PATH: '/bin', AWS_PROFILE: 'acme', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' }),
    ).toEqual([]);
    expect(run({})).toEqual([]);
    // No profile in settings: the shell's AWS_PROFILE IS the choice.
    expect(run({ AWS_PROFILE: 'mine' }, settings({ AWS_REGION: ['us-east-1', 'user'] }))).toEqual([]);
  });

  it('static keys: the aws CLI uses them over any profile; Claude (AWS_PROFILE set) does not', () => {
    const f = run({
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secretvalue',
      AWS_SESSION_TOKEN: 'tok',
    });
    expect(byName(f)).toEqual({
      AWS_ACCESS_KEY_ID: ['claude-subdir', 'aws-cli'],
      AWS_SECRET_ACCESS_KEY: ['claude-subdir', 'aws-cli'],
      AWS_SESSION_TOKEN: ['claude-subdir', 'aws-cli'],
    });
    expect(f[0]!.fix).toBe('unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN');
    expect(f[0]!.severity).toBe('error');
    for (const x of f) {
      expect(x.explanation).not.toMatch(/AKIAEXAMPLE|secretvalue|tok\b/);
      expect(x.explanation).toMatch(/aws commands in this shell/);
    }
  });

  it('static keys with no AWS_PROFILE anywhere replace the default profile for Claude Code here too', () => {
    const f = run(
      { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' },
      settings({ AWS_REGION: ['us-east-1', 'user'] }),
    );
    expect(byName(f).AWS_ACCESS_KEY_ID).toEqual(['claude-here', 'claude-subdir', 'aws-cli']);
    expect(f[0]!.explanation).toContain("replaces profile 'default'");
  });

  it('keys set in the settings env are the chosen method for Claude, still stray for aws in the shell', () => {
    const s = settings({ AWS_ACCESS_KEY_ID: ['a', 'local'], AWS_SECRET_ACCESS_KEY: ['b', 'local'] });
    expect(byName(run({ AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' }, s)).AWS_ACCESS_KEY_ID).toEqual([
      'aws-cli',
    ]);
    // A shell session token pairs with the settings' keys for Claude: a mismatched credential.
    expect(byName(run({ AWS_SESSION_TOKEN: 't' }, s))).toEqual({
      AWS_SESSION_TOKEN: ['claude-here', 'claude-subdir'],
    });
  });

  it('one key without the other: the aws CLI fails with partial credentials', () => {
    const f = run({ AWS_ACCESS_KEY_ID: 'a' });
    expect(byName(f)).toEqual({ AWS_ACCESS_KEY_ID: ['aws-cli'] });
    expect(f[0]!.explanation).toMatch(/Partial credentials/);
  });

  it('AWS_SECURITY_TOKEN: botocore only, and only when AWS_SESSION_TOKEN is absent', () => {
    expect(
      byName(run({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SECURITY_TOKEN: 't' }))
        .AWS_SECURITY_TOKEN,
    ).toEqual(['aws-cli']);
    const both = run({
      AWS_ACCESS_KEY_ID: 'a',
      AWS_SECRET_ACCESS_KEY: 'b',
      AWS_SESSION_TOKEN: 's',
      AWS_SECURITY_TOKEN: 't',
    });
    expect(byName(both).AWS_SECURITY_TOKEN).toBeUndefined();
    // A lone token affects nobody: no finding.
    expect(run({ AWS_SECURITY_TOKEN: 't' })).toEqual([]);
  });

  it("AWS_PROFILE other than the repo's: aws, aws sso login and Claude in a subdirectory", () => {
    const f = run({ AWS_PROFILE: 'old' });
    expect(byName(f)).toEqual({ AWS_PROFILE: ['claude-subdir', 'aws-cli', 'aws-sso-login'] });
    expect(f[0]!.fix).toBe('export AWS_PROFILE=acme');
    expect(f[0]!.explanation).toContain(
      "='old' in this shell selects another account than the repo's profile 'acme' (sso)",
    );
    // Profile from the user file: a subdirectory also gets it, so only the aws CLI is affected.
    const user = settings({ AWS_PROFILE: ['acme', 'user'] });
    expect(byName(run({ AWS_PROFILE: 'old' }, user))).toEqual({ AWS_PROFILE: ['aws-cli', 'aws-sso-login'] });
  });

  it('AWS_DEFAULT_PROFILE beats AWS_PROFILE for botocore; the JS SDK ignores it', () => {
    const f = run({ AWS_PROFILE: 'acme', AWS_DEFAULT_PROFILE: 'other' });
    expect(byName(f)).toEqual({ AWS_DEFAULT_PROFILE: ['aws-cli', 'aws-sso-login'] });
    expect(f[0]!.fix).toBe('unset AWS_DEFAULT_PROFILE');
    // With both set wrong, AWS_PROFILE no longer drives the aws CLI (AWS_DEFAULT_PROFILE does).
    expect(byName(run({ AWS_PROFILE: 'old', AWS_DEFAULT_PROFILE: 'other' })).AWS_PROFILE).toEqual([
      'claude-subdir',
    ]);
    expect(run({ AWS_DEFAULT_PROFILE: 'acme' })).toEqual([]);
  });

  it('AWS_BEARER_TOKEN_BEDROCK from the shell is stray; in the settings env it is the chosen method', () => {
    const f = run({ AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key-xyz' });
    expect(byName(f)).toEqual({ AWS_BEARER_TOKEN_BEDROCK: ['claude-here', 'claude-subdir'] });
    expect(f[0]!.explanation).not.toContain('bedrock-api-key-xyz');
    const chosen = settings({ AWS_BEARER_TOKEN_BEDROCK: ['k', 'user'] });
    expect(run({ AWS_BEARER_TOKEN_BEDROCK: 'k2' }, chosen)).toEqual([]);
  });

  it('AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE redirect every consumer unless settings agree', () => {
    const f = run({ AWS_CONFIG_FILE: '/tmp/other-config', AWS_SHARED_CREDENTIALS_FILE: '/tmp/creds' });
    const all = ['claude-here', 'claude-subdir', 'aws-cli', 'aws-sso-login'];
    expect(byName(f)).toEqual({ AWS_CONFIG_FILE: all, AWS_SHARED_CREDENTIALS_FILE: all });
    expect(f[0]!.explanation).toContain('/tmp/other-config');
    expect(f[0]!.severity).toBe('warn');
    const agree = settings({ AWS_CONFIG_FILE: ['/tmp/other-config', 'user'] });
    expect(run({ AWS_CONFIG_FILE: '/tmp/other-config' }, agree)).toEqual([]);
  });

  it("AWS_REGION other than the settings' region: aws CLI v2 and Claude in a subdirectory when the project sets it", () => {
    expect(byName(run({ AWS_REGION: 'eu-west-1' }))).toEqual({ AWS_REGION: ['aws-cli'] });
    expect(run({ AWS_REGION: 'eu-west-1' }, REPO, 1)).toEqual([]);
    const projectRegion = settings({ AWS_REGION: ['us-west-2', 'project'] });
    const f = run({ AWS_REGION: 'eu-west-1' }, projectRegion);
    expect(byName(f)).toEqual({ AWS_REGION: ['claude-subdir', 'aws-cli'] });
    expect(f[0]!.fix).toBe('export AWS_REGION=us-west-2');
  });

  it("AWS_DEFAULT_REGION other than Claude's region: CLI v1 always, v2 only without AWS_REGION", () => {
    expect(byName(run({ AWS_DEFAULT_REGION: 'eu-west-1' }))).toEqual({ AWS_DEFAULT_REGION: ['aws-cli'] });
    expect(byName(run({ AWS_DEFAULT_REGION: 'eu-west-1', AWS_REGION: 'us-east-1' }, REPO, 1))).toEqual({
      AWS_DEFAULT_REGION: ['aws-cli'],
    });
    expect(run({ AWS_DEFAULT_REGION: 'eu-west-1', AWS_REGION: 'us-east-1' }, REPO, 2)).toEqual([]);
    // No AWS_REGION anywhere: Claude Code (>= 2.1.172) signs for AWS_DEFAULT_REGION instead of its
    // us-east-1 default (test/conformance); the aws CLI agrees with it.
    const f = run({ AWS_DEFAULT_REGION: 'eu-west-1' }, settings({}));
    expect(byName(f)).toEqual({ AWS_DEFAULT_REGION: ['claude-here', 'claude-subdir'] });
    expect(f[0]!.explanation).toBe(
      "AWS_DEFAULT_REGION='eu-west-1' sets Claude Code's region instead of its default 'us-east-1' for Claude Code started here and Claude Code started in a subdirectory",
    );
    expect(f[0]!.severity).toBe('warn');
  });

  it("AWS_DEFAULT_REGION beats the profile's region for Claude Code; equal to it, nothing is stray", () => {
    const profile = {
      name: 'default',
      kind: 'sso' as const,
      definedIn: ['/h/.aws/config'],
      region: 'eu-west-1',
    };
    const f = analyzeStray({
      settings: settings({}),
      shellEnv: { AWS_DEFAULT_REGION: 'ap-southeast-2' },
      profile,
    });
    expect(f.map((x) => [x.name, x.consumers, x.explanation])).toEqual([
      [
        'AWS_DEFAULT_REGION',
        ['claude-here', 'claude-subdir'],
        "AWS_DEFAULT_REGION='ap-southeast-2' sets Claude Code's region instead of the profile's 'eu-west-1' for Claude Code started here and Claude Code started in a subdirectory",
      ],
    ]);
    expect(
      analyzeStray({ settings: settings({}), shellEnv: { AWS_DEFAULT_REGION: 'eu-west-1' }, profile }),
    ).toEqual([]);
  });

  it('control characters in a profile name never reach the explanation', () => {
    const f = run({ AWS_PROFILE: 'evil\u001b[31m\nx' });
    expect(f[0]!.explanation).not.toMatch(/[\u0000-\u001f]/);
  });

  it('combinedFix: one unset line with every variable once, then exports', () => {
    const f = run({
      AWS_ACCESS_KEY_ID: 'a',
      AWS_SECRET_ACCESS_KEY: 'b',
      AWS_PROFILE: 'old',
      AWS_DEFAULT_PROFILE: 'x',
    });
    expect(combinedFix(f)).toEqual([
      'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_DEFAULT_PROFILE',
      'export AWS_PROFILE=acme',
    ]);
  });
});
