/**
 * Judging the answers of `doctor --live`: who the credentials are, whether Bedrock lists the Anthropic
 * inference profiles and the pinned one, whether a test message gets an answer. Pure.
 * AccessDenied names the IAM actions the guide lists; expired credentials name the sign-in.
 */
import { parseModelId } from '../core/model-id.js';
import { describePlan } from './aws-access.js';
import type { AwsErrorInfo } from './aws-errors.js';
import { type CheckResult, fail, pass, skip, warn } from './check.js';
import { profileArg, shown } from './describe.js';
import { type LiveFacts, TEST_MESSAGE } from './live.js';

export const IAM_ACTIONS = [
  'bedrock:InvokeModel',
  'bedrock:InvokeModelWithResponseStream',
  'bedrock:ListInferenceProfiles',
  // Cross-region inference profiles: Bedrock resolves the profile before it routes the call.
  'bedrock:GetInferenceProfile',
];

function fixFor(live: LiveFacts, error: AwsErrorInfo, who?: string): string {
  const plan = live.plan;
  switch (error.kind) {
    case 'access-denied':
      return `grant ${IAM_ACTIONS.join(', ')} to ${who ?? 'the role or user in effect'} (IAM policy or permission set), and enable Anthropic model access in the Bedrock console for ${plan.region}`;
    case 'expired':
    case 'sso-signed-out':
    case 'no-credentials':
    case 'invalid-credentials':
      if (plan.kind === 'profile')
        return `aws sso login --profile ${profileArg(plan.profile)}   (for SSO profiles; else renew the profile's credentials)`;
      if (plan.kind === 'env-keys')
        return 'paste fresh keys, or better: unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN and use an SSO profile';
      return 'create a new Bedrock API key and set AWS_BEARER_TOKEN_BEDROCK to it';
    case 'network':
      return 'check the network (VPN, proxy: HTTPS_PROXY) and the region, then run doctor --live again';
    default:
      return 'see the message; `bedrock-profile doctor` (offline) lists the configuration';
  }
}

function errorDetail(error: AwsErrorInfo): string {
  return `${error.name}: ${shown(error.message)}`;
}

export function checkLiveIdentity(live: LiveFacts): CheckResult {
  const id = 'live:identity';
  const title = 'AWS identity (STS)';
  if (!live.sts)
    return skip(id, title, `not checked: ${describePlan(live.plan)} signs Bedrock requests only`);
  if (!live.sts.ok)
    return fail(
      id,
      title,
      `${describePlan(live.plan)}: ${errorDetail(live.sts.error)}`,
      fixFor(live, live.sts.error),
    );
  return pass(
    id,
    title,
    `account ${shown(live.sts.account)}, ${shown(live.sts.arn)} (${describePlan(live.plan)})`,
  );
}

export function checkLiveProfiles(live: LiveFacts, pinned: string | undefined): CheckResult {
  const id = 'live:inference-profiles';
  const title = 'Bedrock inference profiles';
  const who = live.sts?.ok ? live.sts.arn : undefined;
  if (!live.profiles.ok) {
    return fail(
      id,
      title,
      `ListInferenceProfiles in ${live.plan.region}: ${errorDetail(live.profiles.error)}`,
      fixFor(live, live.profiles.error, who),
    );
  }
  const list = live.profiles.anthropic;
  if (list.length === 0) {
    return fail(
      id,
      title,
      `no Anthropic inference profiles in ${live.plan.region}`,
      'pick a region where Claude runs on Bedrock: bedrock-profile init --region us-east-1',
    );
  }
  if (!pinned)
    return pass(id, title, `${list.length} Anthropic profiles in ${live.plan.region}; no model pinned`);
  const parsed = parseModelId(pinned);
  const found = list.some((p) => p.id === pinned || p.arn === pinned);
  if (found)
    return pass(
      id,
      title,
      `${list.length} Anthropic profiles in ${live.plan.region}, including the pinned ${shown(pinned)}`,
    );
  if (parsed.kind === 'alias')
    return pass(
      id,
      title,
      `${list.length} Anthropic profiles in ${live.plan.region}; model alias ${shown(pinned)}`,
    );
  if (parsed.kind === 'arn' && parsed.arnResource !== 'inference-profile') {
    return pass(
      id,
      title,
      `${list.length} Anthropic profiles in ${live.plan.region}; the pinned ${parsed.arnResource} ARN is not in that list (expected)`,
    );
  }
  const sample = list
    .slice(0, 4)
    .map((p) => p.id)
    .join(', ');
  return fail(
    id,
    title,
    `the pinned ANTHROPIC_MODEL ${shown(pinned)} is not among the ${list.length} Anthropic profiles in ${live.plan.region} (${sample}${list.length > 4 ? ', ...' : ''}); every message fails`,
    `bedrock-profile models --pin ${list[0]!.id}   (\`bedrock-profile models\` lists them all)`,
  );
}

export function checkLiveInvoke(live: LiveFacts, asked: boolean): CheckResult {
  const id = 'live:invoke';
  const title = 'test message';
  if (!asked) return skip(id, title, 'not sent (add --invoke)');
  const inv = live.invoke;
  if (!inv)
    return fail(
      id,
      title,
      'no model to send it to: none pinned and none listed',
      'bedrock-profile models --pin <id>',
    );
  if (!inv.ok) {
    const who = live.sts?.ok ? live.sts.arn : undefined;
    return fail(
      id,
      title,
      `"${TEST_MESSAGE}" to ${shown(inv.modelId ?? '?')}: ${errorDetail(inv.error)}`,
      fixFor(live, inv.error, who),
    );
  }
  const answer = inv.answer ? `: ${shown(inv.answer.slice(0, 60))}` : ' (empty answer)';
  return inv.answer
    ? pass(id, title, `${shown(inv.modelId)} answered${answer}`)
    : warn(id, title, `${shown(inv.modelId)} answered${answer}`);
}
