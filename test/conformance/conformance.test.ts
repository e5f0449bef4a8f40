/**
 * Conformance with the real Claude Code (issue 12): for every case of the table, what the real `claude -p`
 * did against the fake AWS (who signed, the SigV4 region, the model, awsAuthRefresh / awsCredentialExport,
 * success) must be what `status --json` and `doctor --json` said. Prints one row per case and the version.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { claudeVersion } from '../support/claude-code.js';
import { startFakeAws } from '../support/fake-aws.js';
import { makeTempHome } from '../support/temp-home.js';
import { CASES } from './cases.js';
import { describeOutcome, disagreements, Fixture, runCase } from './harness.js';

interface Row {
  name: string;
  did: string;
  said: string;
  agree: string;
}
const rows = new Map<string, Row>();

afterAll(() => {
  const ordered = CASES.map(
    (c) => rows.get(c.name) ?? { name: c.name, did: '(did not finish)', said: '', agree: 'no' },
  );
  const lines = [
    `Claude Code ${claudeVersion()}: ${ordered.filter((r) => r.agree === 'yes').length} of ${ordered.length} cases agree, ${ordered.filter((r) => r.agree === 'n/a').length} cannot run (the row says why), ${ordered.filter((r) => r.agree.startsWith('no')).length} disagree`,
    '| case | Claude Code did | we said | agree |',
    '| --- | --- | --- | --- |',
    ...ordered.map((r) => `| ${r.name} | ${r.did} | ${r.said} | ${r.agree} |`),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
});

describe(`conformance with Claude Code ${claudeVersion()}`, () => {
  for (const c of CASES) {
    it.concurrent(c.name, async () => {
      if (c.cannotRun) {
        rows.set(c.name, { name: c.name, did: 'cannot run', said: c.cannotRun, agree: 'n/a' });
        return;
      }
      const fake = await startFakeAws({ checkModelGeography: true, ...c.fake });
      const t = makeTempHome('bp-conf-');
      try {
        const f = new Fixture(t, fake);
        c.setup(f);
        const r = await runCase(f);
        const diff = disagreements(r.did, r.said);
        rows.set(c.name, {
          name: c.name,
          did: describeOutcome(r.did),
          said: describeOutcome(r.said),
          agree: diff.length === 0 ? 'yes' : `no: ${diff.join('; ')}`,
        });
        const context = [
          `claude exit ${r.claude.code}${r.claude.timedOut ? ' (timed out)' : ''}`,
          `stdout: ${r.claude.stdout.slice(0, 400)}`,
          `stderr: ${r.claude.stderr.slice(0, 400)}`,
          `doctor fails: ${r.doctor.checks
            .filter((x) => x.status === 'fail')
            .map((x) => `${x.id}: ${x.detail}`)
            .join(' | ')}`,
          `status: region ${JSON.stringify(r.status.region)} profile ${r.status.profile.name} auth ${r.status.auth.kind} session ${r.status.session.status}`,
          `requests: ${r.claude.requests.map((q) => `${q.operation} ${q.status} ${q.region ?? ''} ${q.modelId ?? ''}`).join(', ')}`,
        ].join('\n');
        expect(diff, context).toEqual([]);
      } finally {
        await fake.close();
        t.cleanup();
      }
    });
  }
});
