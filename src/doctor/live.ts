/**
 * `doctor --live`: ask AWS, with the credentials and region Claude Code would use here. STS
 * GetCallerIdentity (who am I), Bedrock ListInferenceProfiles (can I see the models, is the pinned one
 * there) and, with --invoke, one tiny Converse call ("Which state is the Garden State?"). The SDK
 * clients are imported here, lazily, only when asked for.
 */
import type { Paths } from '../platform/paths.js';
import { type AccessPlan, clientConfig } from './aws-access.js';
import { type AwsErrorInfo, classifyAwsError } from './aws-errors.js';

export const TEST_MESSAGE = 'Which state is the Garden State?';

export type Outcome<T> = ({ ok: true } & T) | { ok: false; error: AwsErrorInfo };

export interface AnthropicProfile {
  id: string;
  arn?: string;
  name?: string;
  status?: string;
}

export interface LiveFacts {
  plan: AccessPlan;
  /** Undefined when skipped (a Bedrock API key cannot call STS). */
  sts?: Outcome<{ account: string; arn: string }>;
  profiles: Outcome<{ anthropic: AnthropicProfile[] }>;
  /** Only with --invoke. */
  invoke?: Outcome<{ modelId: string; answer: string }> & { modelId?: string };
}

async function attempt<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, ...(await fn()) } as Outcome<T>;
  } catch (err) {
    return { ok: false, error: classifyAwsError(err) };
  }
}

export async function callerIdentity(
  plan: AccessPlan,
  paths: Paths,
): Promise<Outcome<{ account: string; arn: string }>> {
  return attempt(async () => {
    const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const client = new STSClient(await clientConfig(plan, 'sts', paths));
    try {
      const out = await client.send(new GetCallerIdentityCommand({}));
      return { account: out.Account ?? '?', arn: out.Arn ?? '?' };
    } finally {
      client.destroy();
    }
  });
}

/** The system-defined Anthropic inference profiles of the region, every page. */
export async function listAnthropicProfiles(
  plan: AccessPlan,
  paths: Paths,
): Promise<Outcome<{ anthropic: AnthropicProfile[] }>> {
  return attempt(async () => {
    const { BedrockClient, ListInferenceProfilesCommand } = await import('@aws-sdk/client-bedrock');
    const client = new BedrockClient(await clientConfig(plan, 'bedrock', paths));
    const anthropic: AnthropicProfile[] = [];
    try {
      let nextToken: string | undefined;
      for (let page = 0; page < 50; page++) {
        const out = await client.send(
          new ListInferenceProfilesCommand({ typeEquals: 'SYSTEM_DEFINED', maxResults: 1000, nextToken }),
        );
        for (const p of out.inferenceProfileSummaries ?? []) {
          if (!p.inferenceProfileId || !/(^|\.)anthropic\./.test(p.inferenceProfileId)) continue;
          const entry: AnthropicProfile = { id: p.inferenceProfileId };
          if (p.inferenceProfileArn) entry.arn = p.inferenceProfileArn;
          if (p.inferenceProfileName) entry.name = p.inferenceProfileName;
          if (p.status) entry.status = p.status;
          anthropic.push(entry);
        }
        nextToken = out.nextToken;
        if (!nextToken) break;
      }
    } finally {
      client.destroy();
    }
    anthropic.sort((a, b) => a.id.localeCompare(b.id));
    return { anthropic };
  });
}

export async function invokeTestMessage(
  plan: AccessPlan,
  paths: Paths,
  modelId: string,
): Promise<Outcome<{ modelId: string; answer: string }>> {
  return attempt(async () => {
    const { BedrockRuntimeClient, ConverseCommand } = await import('@aws-sdk/client-bedrock-runtime');
    const client = new BedrockRuntimeClient(await clientConfig(plan, 'bedrock-runtime', paths));
    try {
      const out = await client.send(
        new ConverseCommand({
          modelId,
          messages: [{ role: 'user', content: [{ text: TEST_MESSAGE }] }],
          inferenceConfig: { maxTokens: 32 },
        }),
      );
      const answer = (out.output?.message?.content ?? [])
        .map((c) => ('text' in c && typeof c.text === 'string' ? c.text : ''))
        .join('')
        .trim();
      return { modelId, answer };
    } finally {
      client.destroy();
    }
  });
}

/** The model the test message goes to: the pinned one, else a Sonnet profile from the list that fits. */
export function chooseTestModel(
  pinned: string | undefined,
  listed: AnthropicProfile[],
  geos: string[],
): string | undefined {
  if (pinned) return pinned;
  const fitting = listed.filter((p) => geos.some((g) => p.id.startsWith(`${g}.`)));
  const pool = fitting.length ? fitting : listed;
  return (pool.find((p) => /sonnet/.test(p.id)) ?? pool.find((p) => /haiku/.test(p.id)) ?? pool[0])?.id;
}

export async function gatherLive(
  plan: AccessPlan,
  paths: Paths,
  opts: { invoke: boolean; pinned?: string; geos: string[] },
): Promise<LiveFacts> {
  const [sts, profiles] = await Promise.all([
    plan.kind === 'bearer' ? Promise.resolve(undefined) : callerIdentity(plan, paths),
    listAnthropicProfiles(plan, paths),
  ]);
  const live: LiveFacts = { plan, profiles };
  if (sts) live.sts = sts;
  if (opts.invoke) {
    const model = chooseTestModel(opts.pinned, profiles.ok ? profiles.anthropic : [], opts.geos);
    if (model) live.invoke = { ...(await invokeTestMessage(plan, paths, model)), modelId: model };
  }
  return live;
}
