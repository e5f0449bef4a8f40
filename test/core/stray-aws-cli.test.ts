/**
 * Agreement with the real aws CLI (botocore) on this machine: for each shell environment, the analysis
 * says the aws CLI is affected exactly when `aws configure list` shows another profile, env credentials,
 * another region, or fails. Consumer 'aws-cli' with awsCliVersion 1, since this machine has CLI v1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeStray } from '../../src/core/stray.js';
import type { Sourced } from '../../src/core/types.js';
import { runAws } from '../support/aws-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let t: TempHome;
beforeAll(() => {
  t = makeTempHome('bp-stray-aws-');
  t.write(
    '.aws/config',
    '[profile acme]\nregion = us-east-1\n\n[profile other]\nregion = eu-west-1\n\n[default]\nregion = us-east-1\n',
  );
  t.write(
    '.aws/credentials',
    '[acme]\naws_access_key_id = AKIAACME\naws_secret_access_key = a\n\n[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = o\n',
  );
});
afterAll(() => t.cleanup());

const settingsEnv: Record<string, Sourced<string>> = {
  AWS_PROFILE: { value: 'acme', scope: 'project', file: '/repo/.claude/settings.json' },
  AWS_REGION: { value: 'us-east-1', scope: 'user', file: '/home/.claude/settings.json' },
};

/** Parse `aws configure list`: name → [value, type]. */
function configureList(stdout: string): Record<string, [string, string]> {
  const rows: Record<string, [string, string]> = {};
  for (const line of stdout.split('\n')) {
    const m = /^\s*(profile|access_key|secret_key|region)\s+(\S+(?: set>)?)\s+(\S+)/.exec(line);
    if (m) rows[m[1]!] = [m[2]!, m[3]!];
  }
  return rows;
}

const cases: Array<[string, Record<string, string>]> = [
  ['consistent (repo profile exported)', { AWS_PROFILE: 'acme' }],
  [
    'static keys with the repo profile',
    { AWS_PROFILE: 'acme', AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'e' },
  ],
  ['one key without its pair', { AWS_PROFILE: 'acme', AWS_ACCESS_KEY_ID: 'AKIAENV' }],
  ['another AWS_PROFILE', { AWS_PROFILE: 'other' }],
  ['AWS_DEFAULT_PROFILE over the repo profile', { AWS_PROFILE: 'acme', AWS_DEFAULT_PROFILE: 'other' }],
  ['AWS_DEFAULT_PROFILE equal to the repo profile', { AWS_PROFILE: 'other', AWS_DEFAULT_PROFILE: 'acme' }],
  ['AWS_REGION other than the settings (v1 ignores it)', { AWS_PROFILE: 'acme', AWS_REGION: 'eu-west-1' }],
  ['AWS_DEFAULT_REGION other than the settings', { AWS_PROFILE: 'acme', AWS_DEFAULT_REGION: 'eu-west-1' }],
  ['bearer token (not an aws CLI matter)', { AWS_PROFILE: 'acme', AWS_BEARER_TOKEN_BEDROCK: 'k' }],
];

describe('stray analysis agrees with the real aws CLI', () => {
  it.each(cases)('%s', async (_what, shell) => {
    const env = { ...t.env, ...shell };
    const findings = analyzeStray({
      settings: { env: settingsEnv, subdirEnv: {} },
      shellEnv: env,
      awsCliVersion: 1,
    });
    const predicted = findings.some((f) => f.consumers.includes('aws-cli'));
    const r = await runAws(['configure', 'list'], env);
    const rows = configureList(r.stdout);
    const actual =
      r.code !== 0 ||
      /Partial credentials/.test(r.stderr) ||
      rows.profile?.[0] !== 'acme' ||
      rows.access_key?.[1] === 'env' ||
      rows.region?.[0] !== 'us-east-1';
    expect({ predicted, aws: rows, stderr: r.stderr.trim() }).toMatchObject({ predicted: actual });
  });
});
