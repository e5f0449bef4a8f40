/**
 * Tools on PATH: Claude Code itself, and the AWS CLI v2 (v1 has no `aws sso login`).
 */
import { REGION_FROM_AWS_CONFIG_SINCE, versionBefore } from '../core/effective-profile.js';
import { type CheckResult, fail, pass, warn } from './check.js';
import { shown } from './describe.js';
import type { DoctorFacts } from './facts.js';

const CLAUDE_INSTALL = 'npm install -g @anthropic-ai/claude-code';
const AWS_V2_INSTALL =
  'install AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html';

export function checkClaudeInstalled(f: DoctorFacts): CheckResult {
  const title = 'Claude Code installed';
  if (!f.claude.found) return fail('claude', title, '`claude` is not on PATH', CLAUDE_INSTALL);
  if (!f.claude.version) {
    return warn(
      'claude',
      title,
      `\`claude --version\` gave no version (${shown(f.claude.error ?? 'no output')})`,
      `${CLAUDE_INSTALL} (reinstall)`,
    );
  }
  if (versionBefore(f.claude.version, REGION_FROM_AWS_CONFIG_SINCE)) {
    return warn(
      'claude',
      title,
      `claude ${shown(f.claude.version)}: before ${REGION_FROM_AWS_CONFIG_SINCE} it does not read the profile's region (AWS_REGION, AWS_DEFAULT_REGION, else us-east-1)`,
      'claude update',
    );
  }
  return pass('claude', title, `claude ${f.claude.version}`);
}

/** SSO sign-in needs v2; for other auth methods the CLI is only a convenience, so v1 is a warning. */
export function checkAwsCli(f: DoctorFacts): CheckResult {
  const title = 'AWS CLI v2';
  const usesSso =
    f.profileInfo?.kind === 'sso' || f.profileInfo?.kind === 'legacy-sso' || f.session !== undefined;
  const bad = (detail: string) =>
    usesSso ? fail('aws-cli', title, detail, AWS_V2_INSTALL) : warn('aws-cli', title, detail, AWS_V2_INSTALL);
  if (!f.awsCli.found) return bad('`aws` is not on PATH: nothing can run `aws sso login`');
  const v = f.awsCli.version;
  if (!v) return bad(`\`aws --version\` gave no version (${shown(f.awsCli.error ?? 'no output')})`);
  const major = Number(v.split('.')[0]);
  if (major < 2) return bad(`aws-cli ${v} is v1, which has no \`aws sso login\``);
  return pass('aws-cli', title, `aws-cli ${v}`);
}
