/** The body of `migrate`: plan, print the diff or the summary, and say how to sign in once. */
import type { Context } from '../context.js';
import { sanitizeLine } from '../core/sanitize.js';
import { signInCommand } from '../core/sign-in-command.js';
import { UsageError } from '../errors.js';
import { resolvePaths } from '../platform/paths.js';

export async function runMigrate(ctx: Context, profiles: string[], dryRun: boolean): Promise<number> {
  const { migrateProfiles } = await import('../aws/migrate-profiles.js');
  const { unifiedDiff } = await import('../settings-edit/unified-diff.js');
  const paths = resolvePaths(ctx.env);
  const r = await migrateProfiles({ paths, profiles, dryRun, now: ctx.now() });
  const out = (t: string) => ctx.stdout.write(`${t}\n`);
  for (const s of r.skipped)
    ctx.stderr.write(`bedrock-profile: not migrated: ${sanitizeLine(s.profile)}: ${s.why}\n`);
  if (r.migrated.length === 0) {
    if (profiles.length > 0)
      throw new UsageError(
        `nothing to migrate: ${r.skipped.map((s) => `${sanitizeLine(s.profile)} (${s.why})`).join(', ')}; name legacy SSO profiles (sso_start_url in the profile), or run "bedrock-profile migrate" for all of them`,
      );
    out(`no legacy SSO profile in ${sanitizeLine(r.file)}: nothing to migrate`);
    return 0;
  }
  const names = r.migrated.map((m) => sanitizeLine(m.profile));
  if (dryRun) {
    const diff = unifiedDiff(r.before, r.text, r.file, `${r.file} (migrated)`);
    ctx.stdout.write(
      diff
        .split('\n')
        .map((l) => sanitizeLine(l))
        .join('\n'),
    );
    out(`dry run: ${sanitizeLine(r.file)} not changed; run without --dry-run to migrate ${names.join(', ')}`);
    return 0;
  }
  for (const m of r.migrated)
    out(
      `migrated ${sanitizeLine(m.profile)} → [sso-session ${sanitizeLine(m.session)}]${m.created ? ' (new)' : ''}`,
    );
  out(`backup of the previous file: ${sanitizeLine(r.backup ?? '')}`);
  const first = names[0]!;
  const carried = r.carried.length > 0 ? ' (the current sign-in keeps working until its token expires)' : '';
  out(`sign in once to get a refreshable session${carried}: ${signInCommand(first)}`);
  return 0;
}
