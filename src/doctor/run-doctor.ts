/**
 * `bedrock-profile doctor`: gather, check, print. Offline by default (no AWS SDK client is loaded);
 * `--live` asks AWS with the credentials and region Claude Code would use; `--invoke` (implies --live)
 * also sends one tiny test message. Exit 0 when nothing failed (warnings allowed), 1 when a check failed.
 */
import type { Context } from '../context.js';
import { geoPrefixesForRegion, isValidRegion, parseModelId } from '../core/model-id.js';
import { sanitizeLine } from '../core/sanitize.js';
import { resolvePaths } from '../platform/paths.js';
import { type CheckResult, exitCodeFor, fail, skip, warn } from './check.js';
import { gatherFacts } from './gather.js';
import { offlineChecks } from './offline-checks.js';
import { renderJson, renderText, useColour } from './render.js';

export interface DoctorOptions {
  json: boolean;
  live: boolean;
  invoke: boolean;
}

export async function runDoctor(ctx: Context, opts: DoctorOptions): Promise<number> {
  const live = opts.live || opts.invoke;
  const facts = await gatherFacts(ctx);
  const results: CheckResult[] = offlineChecks(facts);
  if (live) {
    const region = facts.region.value;
    const { repoRedirections } = await import('./aws-access.js');
    const redirects = repoRedirections(facts.settings.env);
    if (redirects.length > 0) {
      results.push(
        warn(
          'live',
          'live checks',
          `not run: the repo's settings set ${redirects.map((r) => `${r.name} (${sanitizeLine(r.file)})`).join(', ')}; doctor does not follow a repo to other AWS files or endpoints`,
          `remove ${redirects.map((r) => r.name).join(', ')} from the repo's settings if you did not put them there`,
        ),
      );
    } else if (facts.bedrockExport && region && isValidRegion(region)) {
      // Our own export names the profile: resolve it as the export does, without running the command.
      const { liveTwoIdentities } = await import('./live-identities.js');
      const pinned = facts.claudeEnv.ANTHROPIC_MODEL || undefined;
      const target = pinned && parseModelId(pinned).kind !== 'alias' ? pinned : undefined;
      results.push(
        ...(await liveTwoIdentities(
          { ...facts, bedrockExport: facts.bedrockExport },
          region,
          resolvePaths(facts.claudeEnv),
          {
            invoke: opts.invoke,
            geos: geoPrefixesForRegion(region),
            ...(pinned ? { pinned } : {}),
            ...(target ? { target } : {}),
          },
        )),
      );
    } else if (facts.settings.awsCredentialExport) {
      // Its command comes from a settings file (maybe a repo's): doctor never runs it.
      const detail = 'not run: credentials come from awsCredentialExport, a command doctor does not run';
      for (const [id, title] of [
        ['live:identity', 'AWS identity (STS)'],
        ['live:inference-profiles', 'Bedrock inference profiles'],
        ['live:invoke', 'test message'],
      ] as const) {
        results.push(skip(id, title, detail));
      }
    } else if (!region || !isValidRegion(region)) {
      results.push(
        fail(
          'live',
          'live checks',
          'not run: no valid AWS_REGION in effect (see region)',
          `bedrock-profile init --region us-east-1`,
        ),
      );
    } else {
      const { planAccess } = await import('./aws-access.js');
      const { gatherLive } = await import('./live.js');
      const { checkLiveIdentity, checkLiveInvoke, checkLiveProfiles } = await import('./checks-live.js');
      const plan = planAccess(facts.claudeEnv, region);
      const pinned = facts.claudeEnv.ANTHROPIC_MODEL || undefined;
      // An alias (sonnet, opusplan) is Claude Code's to map; the test message then goes to a listed profile.
      const target = pinned && parseModelId(pinned).kind !== 'alias' ? pinned : undefined;
      const liveFacts = await gatherLive(plan, resolvePaths(facts.claudeEnv), {
        invoke: opts.invoke,
        geos: geoPrefixesForRegion(region),
        ...(target ? { pinned: target } : {}),
      });
      results.push(
        checkLiveIdentity(liveFacts),
        checkLiveProfiles(liveFacts, pinned),
        checkLiveInvoke(liveFacts, opts.invoke),
      );
    }
  }
  ctx.stdout.write(
    opts.json ? renderJson(results, live) : renderText(results, useColour(ctx.stdout.isTTY, ctx.env)),
  );
  return exitCodeFor(results);
}
