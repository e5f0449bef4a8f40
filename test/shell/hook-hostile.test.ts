/**
 * Hostile repos in the real shells: profile names that are shell code or terminal escapes, settings files
 * that are FIFOs, huge, invalid JSON, invalid UTF-8, symlink loops or unreadable, a tampered record, and
 * directory names with spaces, quotes, newlines and `$(...)`. Never run code, never hang, never print a
 * raw control character; once cached, a visit spawns nothing (counted) and takes well under 100 ms.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordName } from '../../src/hook/record-name.js';
import { lang, makeShellFixture, runShell, SHELLS, type Shell, type ShellFixture } from './harness.js';

const RULE = 'letters, digits and _.+=,@- only, 1 to 128 characters';
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe.each(SHELLS)('%s', (shell: Shell) => {
  let f: ShellFixture;
  let pwned: string;
  beforeAll(() => {
    f = makeShellFixture();
    pwned = join(f.root, 'pwned');
  });
  afterAll(() => f.cleanup());

  it('refuses profile names that are code or escapes, and never runs them', async () => {
    const payloads: Array<[string, string]> = [
      ['subst', `$(touch ${pwned}-subst)`],
      ['backtick', `\`touch ${pwned}-backtick\``],
      ['semicolon', 'x; rm -rf ~'],
      ['newline', 'ok\nexport AWS_PROFILE=evil'],
      ['ansi', '\u001b[31mred\u001b]0;title\u0007'],
    ];
    const lines = [lang.source(shell)];
    let expected = '';
    for (const [name, value] of payloads) {
      const dir = f.repo(`hostile/${name}`, { env: { AWS_PROFILE: value } });
      lines.push(`cd '${dir}'`, `bedrock-profile allow 2>/dev/null`, lang.mark(shell, f.out, name));
      const shown = value.replace(/[\n\t]/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '?');
      expected += `bedrock-profile: refusing AWS_PROFILE '${shown}' from ${dir}/.claude/settings.json: not a profile name (${RULE}); fix the file\n`;
    }
    const run = await runShell(shell, f, lines);
    expect(run.stderr).toBe(expected);
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.out).toEqual(payloads.map(([name]) => `${name} (unset)`));
    expect(existsSync(`${pwned}-subst`)).toBe(false);
    expect(existsSync(`${pwned}-backtick`)).toBe(false);
    expect(existsSync(f.home)).toBe(true);
  });

  it('does not act on a tampered record (the shell validates names again)', async () => {
    const dir = f.repo('tampered', { env: { AWS_PROFILE: 'fine' } });
    const records = join(f.home, '.cache/bedrock-profile/records');
    mkdirSync(records, { recursive: true });
    const enc = dir.replace(/%/g, '%25');
    const rec = join(records, recordName(dir));
    const bad = `$(touch ${pwned}-record)`;
    writeFileSync(
      rec,
      `bedrock-profile-record 1 1\ndir=${enc}\nroot=${enc}\nproject=1\nlocal=0\nprofile=${bad}\nexpect=${bad}\nswitch=1\nhint=0\nnotice=0\nunsetok=1\ncheck=BP_TEST_UNSET HOME[$(touch\${IFS}${pwned}-check)] x\`touch ${pwned}-tick\`\nagree=b[$(touch ${pwned}-agree)]=1\nexpires=\n`,
    );
    // Newer than the settings file, so the hook trusts the record's freshness and reads it.
    const later = Date.now() / 1000 + 3600;
    utimesSync(rec, later, later);
    const before = f.callCount();
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${dir}'`,
      lang.mark(shell, f.out, 'tampered'),
    ]);
    expect(run.stderr).toBe('');
    expect(run.out).toEqual(['tampered (unset)']);
    expect(f.callCount()).toBe(before);
    for (const tag of ['record', 'check', 'tick', 'agree'])
      expect(existsSync(`${pwned}-${tag}`), tag).toBe(false);
  });

  it('bad settings files: one line each, no hang, cached visits spawn nothing and are fast', async () => {
    const cases: Array<[string, (file: string) => void, (file: string) => string]> = [
      [
        'fifo',
        (p) => execFileSync('mkfifo', [p]),
        (p) => `${p}: is not a regular file; replace it with a regular file`,
      ],
      [
        'huge',
        (p) => writeFileSync(p, Buffer.alloc(50 * 1024 * 1024, 0x20)),
        (p) =>
          `${p}: is ${50 * 1024 * 1024} bytes, larger than the 1048576 we read; replace it with the real file`,
      ],
      [
        'json',
        (p) => writeFileSync(p, '{"env": {"AWS_PROFILE": "x",}}'),
        // No "run the command again": there is no command, the hook looks again by itself.
        (p) => `${p}:1:29: invalid JSON: a property name (in double quotes) was expected; fix the file`,
      ],
      [
        'utf8',
        (p) => writeFileSync(p, Buffer.from('{"env":{"AWS_PROFILE":"\xff\xfe"}}', 'latin1')),
        (p) => `${p}: is not valid UTF-8; save it as UTF-8`,
      ],
      [
        'loop',
        (p) => {
          symlinkSync('loop2', p);
          symlinkSync('settings.json', join(p, '..', 'loop2'));
        },
        (p) => `${p}: symbolic link loop; check the file and its permissions`,
      ],
      // Tests run as root, whom chmod 000 does not stop: a directory is what "cannot be read" means here.
      [
        'unreadable',
        (p) => mkdirSync(p),
        (p) => `${p}: is not a regular file; replace it with a regular file`,
      ],
    ];
    const lines = [lang.source(shell)];
    let expected = '';
    for (const [name, make, message] of cases) {
      const dir = f.repo(`bad/${name}`);
      mkdirSync(join(dir, '.claude'), { recursive: true });
      const file = join(dir, '.claude', 'settings.json');
      make(file);
      lines.push(`cd '${dir}'`);
      expected += `bedrock-profile: ${message(file)}\n`;
    }
    // Second round: every record is cached now.
    lines.push(`cd '${f.home}'`, `echo calls-before >> '${f.out}'`);
    for (const [name] of cases) {
      lines.push(lang.timedCd(shell, f.out, name, lang.quote(shell, join(f.home, 'bad', name))));
    }
    const run = await runShell(shell, f, lines);
    expect(run.stderr).toBe(expected);
    expect(run.stderr).not.toMatch(CONTROL);
    // No `bedrock-profile` run after the first round.
    const calls = f.callCount();
    expect(calls).toBeGreaterThanOrEqual(cases.length);
    const run2 = await runShell(shell, f, [
      lang.source(shell),
      ...cases.map(([name]) =>
        lang.timedCd(shell, f.out, name, lang.quote(shell, join(f.home, 'bad', name))),
      ),
    ]);
    // A new shell has not said anything yet: it runs resolve once per context to say it, nothing more.
    expect(run2.stderr).toBe(expected);
    const afterNew = f.callCount();
    expect(afterNew - calls).toBe(cases.length);
    if (shell !== 'fish') {
      for (const line of run.out.filter((l) => l !== 'calls-before')) {
        const ms = Number(line.split(' ')[1]);
        expect(ms, line).toBeLessThan(100);
      }
    }
  });

  it('a directory whose record name is too long for a file name still works (resolved on every visit)', async () => {
    const deep = f.repo(join('long', ...Array.from({ length: 6 }, (_, i) => `${'d'.repeat(40)}${i}`)), {
      env: { AWS_PROFILE: 'deep-profile' },
    });
    expect(Buffer.byteLength(recordName(deep))).toBeGreaterThan(255);
    const before = f.callCount();
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${deep}'`,
      'bedrock-profile allow >/dev/null',
      `cd '${f.home}'`,
      `cd '${deep}'`,
      lang.mark(shell, f.out, 'deep'),
      'true',
      'true',
    ]);
    expect(run.stderr).toBe(
      // 82 columns on one line: wrapped between words.
      "bedrock-profile: this repo uses AWS profile 'deep-profile'\n" +
        '  (.claude/settings.json)\n' +
        '  switch to it: bedrock-profile allow; stop this message: bedrock-profile deny\n',
    );
    expect(run.out).toEqual(['deep deep-profile']);
    // Two visits, two resolves, plus allow; the prompts in between spawn nothing.
    expect(f.callCount() - before).toBe(3);
  });

  it('directory names with ESC, BEL, DEL, a C1 CSI, `%41` and a backslash: no raw control byte in the record, switching works', async () => {
    const dir = f.repo('ctl/\u001b[31mred\u0007\u007f\u009b %41 back\\slash', {
      env: { AWS_PROFILE: 'ctl-profile' },
    });
    const q = lang.quote(shell, dir);
    const before = f.callCount();
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd ${q}`,
      'bedrock-profile allow >/dev/null',
      lang.mark(shell, f.out, 'first'),
      `cd '${f.home}'`,
      lang.mark(shell, f.out, 'home'),
      `cd ${q}`,
      lang.mark(shell, f.out, 'cached'),
    ]);
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.out).toEqual(['first ctl-profile', 'home (unset)', 'cached ctl-profile']);
    // resolve, allow's resolve, and nothing for the second visit: the cached record matched the directory.
    expect(f.callCount() - before).toBe(2);
    const rec = readFileSync(join(f.home, '.cache/bedrock-profile/records', recordName(dir)), 'utf8');
    expect(rec).toContain('dir=/');
    expect(rec).not.toMatch(CONTROL);
    expect(rec).toContain('%1B[31mred%07%7F%C2%9B %2541 back\\slash\n');
  });

  it('directory names with spaces, quotes, newlines and $(...): switching works, nothing runs', async () => {
    const names = ['with space', `it's "quoted"`, 'new\nline', `$(touch ${pwned}-dir)`, '`touch x`; echo'];
    const lines = [lang.source(shell)];
    const marks: string[] = [];
    names.forEach((name, i) => {
      const dir = f.repo(join('odd', name), { env: { AWS_PROFILE: `odd-${i}` } });
      const q = lang.quote(shell, dir);
      lines.push(`cd ${q}`, 'bedrock-profile allow >/dev/null', lang.mark(shell, f.out, `first-${i}`));
      lines.push(
        `cd '${f.home}'`,
        lang.timedCd(shell, f.out, `again-${i}`, q),
        lang.mark(shell, f.out, `second-${i}`),
      );
      marks.push(`first-${i} odd-${i}`, `second-${i} odd-${i}`);
    });
    const run = await runShell(shell, f, lines);
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.out.filter((l) => !l.startsWith('again-'))).toEqual(marks);
    expect(existsSync(`${pwned}-dir`)).toBe(false);
    for (const line of run.out.filter((l) => l.startsWith('again-'))) {
      expect(Number(line.split(' ')[1]), line).toBeLessThan(100);
    }
    // Every hint names its file relative to the repo, so no part of the odd name is printed.
    for (const l of run.stderr.split('\n').filter(Boolean))
      expect(l).toMatch(
        /^(bedrock-profile: this repo uses AWS profile 'odd-\d' \(\.claude\/settings\.json\)| {2}switch to it: bedrock-profile allow; stop this message: bedrock-profile deny)$/,
      );
  });
});
