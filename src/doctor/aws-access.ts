/**
 * The credentials and region Claude Code would use here, as AWS SDK client configuration, for
 * `doctor --live` and `models`. Same selection as Claude Code's JS SDK chain under its merged env:
 * a Bedrock API key skips the chain; AWS_PROFILE beats env keys; env keys beat the `default` profile.
 * The SDK clients themselves are imported by the caller, lazily, so offline commands never load them.
 */
import type { Sourced } from '../core/types.js';
import type { Paths } from '../platform/paths.js';

export type AccessPlan =
  | { kind: 'bearer'; region: string; env: Record<string, string> }
  | { kind: 'env-keys'; region: string; env: Record<string, string> }
  | { kind: 'profile'; profile: string; region: string; env: Record<string, string> };

export function planAccess(claudeEnv: Record<string, string>, region: string): AccessPlan {
  if (claudeEnv.AWS_BEARER_TOKEN_BEDROCK) return { kind: 'bearer', region, env: claudeEnv };
  if (claudeEnv.AWS_PROFILE)
    return { kind: 'profile', profile: claudeEnv.AWS_PROFILE, region, env: claudeEnv };
  if (claudeEnv.AWS_ACCESS_KEY_ID && claudeEnv.AWS_SECRET_ACCESS_KEY)
    return { kind: 'env-keys', region, env: claudeEnv };
  return { kind: 'profile', profile: 'default', region, env: claudeEnv };
}

/** Names only, never a value: "profile dev", "keys from the environment", "Bedrock API key". */
export function describePlan(plan: AccessPlan): string {
  if (plan.kind === 'bearer') return 'Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)';
  if (plan.kind === 'env-keys') return 'keys from the environment (AWS_ACCESS_KEY_ID)';
  return `profile ${plan.profile}`;
}

export type Service = 'sts' | 'bedrock' | 'bedrock-runtime';

const ENDPOINT_VAR: Record<Service, string> = {
  sts: 'AWS_ENDPOINT_URL_STS',
  bedrock: 'AWS_ENDPOINT_URL_BEDROCK',
  'bedrock-runtime': 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
};

/** Client configuration for one service. Throws for STS with a Bedrock API key (it signs Bedrock only). */
export async function clientConfig(
  plan: AccessPlan,
  service: Service,
  paths: Paths,
): Promise<Record<string, unknown>> {
  const config: Record<string, unknown> = {
    region: plan.region,
    maxAttempts: 2,
    // throwOnRequestTimeout: without it the SDK only warns, and a silent endpoint hangs doctor --live.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000, throwOnRequestTimeout: true },
  };
  const endpoint = plan.env[ENDPOINT_VAR[service]] || plan.env.AWS_ENDPOINT_URL;
  if (endpoint) config.endpoint = endpoint;
  if (plan.kind === 'bearer') {
    if (service === 'sts') throw new Error('a Bedrock API key cannot call STS');
    config.token = { token: plan.env.AWS_BEARER_TOKEN_BEDROCK };
    config.authSchemePreference = ['httpBearerAuth'];
    return config;
  }
  if (plan.kind === 'env-keys') {
    const creds: Record<string, string> = {
      accessKeyId: plan.env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: plan.env.AWS_SECRET_ACCESS_KEY!,
    };
    if (plan.env.AWS_SESSION_TOKEN) creds.sessionToken = plan.env.AWS_SESSION_TOKEN;
    config.credentials = creds;
    return config;
  }
  const { fromIni } = await import('@aws-sdk/credential-providers');
  const inner: Record<string, unknown> = { region: plan.region };
  config.credentials = fromIni({
    profile: plan.profile,
    filepath: paths.awsCredentialsFile,
    configFilepath: paths.awsConfigFile,
    ignoreCache: true,
    clientConfig: inner,
  });
  return config;
}

/**
 * Variables a repo's own settings (project or local scope) set that would make live calls read another
 * AWS config (whose credential_process the SDK would run) or send credentials to another endpoint.
 * Claude Code started there would follow them; doctor and models refuse to, naming them instead.
 */
export function repoRedirections(
  settingsEnv: Readonly<Record<string, Sourced<string>>>,
): Array<{ name: string; file: string }> {
  const out: Array<{ name: string; file: string }> = [];
  for (const [name, v] of Object.entries(settingsEnv)) {
    const redirect =
      name === 'AWS_CONFIG_FILE' ||
      name === 'AWS_SHARED_CREDENTIALS_FILE' ||
      name.startsWith('AWS_ENDPOINT_URL');
    if (redirect && (v.scope === 'project' || v.scope === 'local'))
      out.push({ name, file: v.file ?? v.scope });
  }
  return out;
}
