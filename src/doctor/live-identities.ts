/**
 * `doctor --live` with two identities: our awsCredentialExport names the Bedrock profile, so doctor does
 * not run the command but resolves that profile the way the command does (fromIni, Claude's AWS files)
 * and asks STS and Bedrock with it; the agent's profile gets its own STS call. The SDK clients load
 * lazily (live.ts).
 */

import { signInCommand } from '../core/sign-in-command.js';
import type { Paths } from '../platform/paths.js';
import type { CheckResult } from './check.js';
import type { DoctorFacts } from './facts.js';

export async function liveTwoIdentities(
  facts: DoctorFacts & { bedrockExport: NonNullable<DoctorFacts['bedrockExport']> },
  region: string,
  paths: Paths,
  opts: { invoke: boolean; pinned?: string; target?: string; geos: string[] },
): Promise<CheckResult[]> {
  const { callerIdentity, gatherLive } = await import('./live.js');
  const { checkLiveIdentity, checkLiveInvoke, checkLiveProfiles } = await import('./checks-live.js');
  const { fail, pass } = await import('./check.js');
  const { shown } = await import('./describe.js');
  const bedrockPlan = {
    kind: 'profile' as const,
    profile: facts.bedrockExport.profile,
    region,
    env: facts.claudeEnv,
  };
  const agentPlan = { kind: 'profile' as const, profile: facts.profile.value, region, env: facts.claudeEnv };
  const [bedrock, agent] = await Promise.all([
    gatherLive(bedrockPlan, paths, {
      invoke: opts.invoke,
      geos: opts.geos,
      ...(opts.target ? { pinned: opts.target } : {}),
    }),
    callerIdentity(agentPlan, paths),
  ]);
  const bedrockIdentity = checkLiveIdentity(bedrock);
  const agentCheck = agent.ok
    ? pass(
        'live:agent-identity',
        "agent's AWS identity (STS)",
        `account ${shown(agent.account)}, ${shown(agent.arn)} (profile ${shown(agentPlan.profile)}, what the agent's commands use)`,
      )
    : fail(
        'live:agent-identity',
        "agent's AWS identity (STS)",
        `profile ${shown(agentPlan.profile)}: ${agent.error.name}: ${shown(agent.error.message)}`,
        signInCommand(agentPlan.profile),
      );
  return [
    { ...bedrockIdentity, title: 'Bedrock identity (STS)' },
    agentCheck,
    checkLiveProfiles(bedrock, opts.pinned),
    checkLiveInvoke(bedrock, opts.invoke),
  ];
}
