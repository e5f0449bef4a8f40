/**
 * Hostile repos in the real shells: profile names that are shell code or terminal escapes, settings files
 * that are FIFOs, huge, invalid JSON, invalid UTF-8, symlink loops or unreadable, a tampered record, and
 * directory names with spaces, quotes, newlines and `$(...)`. Never run code, never hang, never print a
 * raw control character; once cached, a visit spawns nothing (counted).
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
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

  it('bad settings files: one line each, no hang, cached visits spawn nothing', async () => {
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
    lines.push(`cd '${f.home}'`, lang.calls(shell, f.out, f.calls, 'calls-before'));
    for (const [name] of cases) {
      lines.push(lang.countedCd(shell, f.out, f.calls, name, lang.quote(shell, join(f.home, 'bad', name))));
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
        lang.countedCd(shell, f.out, f.calls, name, lang.quote(shell, join(f.home, 'bad', name))),
      ),
    ]);
    // A new shell has not said anything yet: it runs resolve once per context to say it, nothing more.
    expect(run2.stderr).toBe(expected);
    const afterNew = f.callCount();
    expect(afterNew - calls).toBe(cases.length);
    // The second round's cached visits spawned nothing: the count stands where it stood before them.
    const before = run.out.find((l) => l.startsWith('calls-before '))!.split(' ')[1];
    expect(run.out.filter((l) => !l.startsWith('calls-before '))).toEqual(
      cases.map(([name]) => `${name} ${before}`),
    );
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
        lang.calls(shell, f.out, f.calls, `home-${i}`),
        lang.countedCd(shell, f.out, f.calls, `again-${i}`, q),
        lang.mark(shell, f.out, `second-${i}`),
      );
      marks.push(`first-${i} odd-${i}`, `second-${i} odd-${i}`);
    });
    const run = await runShell(shell, f, lines);
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.out.filter((l) => !/^(again|home)-/.test(l))).toEqual(marks);
    expect(existsSync(`${pwned}-dir`)).toBe(false);
    // The second visit of each directory spawned nothing: `again-i N` has the count of `home-i N` before it.
    expect(run.out.filter((l) => l.startsWith('again-'))).toHaveLength(names.length);
    for (const line of run.out.filter((l) => l.startsWith('again-'))) {
      expect(run.out, line).toContain(line.replace('again-', 'home-'));
    }
    // Every hint names its file relative to the repo, so no part of the odd name is printed.
    for (const l of run.stderr.split('\n').filter(Boolean))
      expect(l).toMatch(
        /^(bedrock-profile: this repo uses AWS profile 'odd-\d' \(\.claude\/settings\.json\)| {2}switch to it: bedrock-profile allow; stop this message: bedrock-profile deny)$/,
      );
  });
});

/**
 * Issue 13, hostile repos: path identity (a repo under a symlinked directory, a directory name that is
 * not valid UTF-8, a settings link retargeted to an older file), edits through a settings link that
 * leaves the repo, a repo's own `aws`/`claude` with `.` or an empty entry in PATH, and profile names that
 * are code or forged lines reaching `login`, `refresh` and the daemon's log.
 */
describe.each(SHELLS)('%s: planted identity, links, tools and names (issue 13)', (shell: Shell) => {
  let f: ShellFixture;
  let pwned: string;
  beforeAll(() => {
    f = makeShellFixture();
    pwned = join(f.root, 'pwned');
  });
  afterAll(() => f.cleanup());

  it('a repo under a symlinked directory: allow in the logical path switches the shell there', async () => {
    const physical = join(f.root, 'data', 'src', 'linked');
    mkdirSync(join(physical, '.git'), { recursive: true });
    mkdirSync(join(physical, '.claude'));
    writeFileSync(join(physical, '.claude', 'settings.json'), '{"env": {"AWS_PROFILE": "linked-profile"}}\n');
    symlinkSync(join(f.root, 'data', 'src'), join(f.home, 'src'));
    const logical = join(f.home, 'src', 'linked');
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${logical}'`,
      'bedrock-profile allow >/dev/null',
      lang.mark(shell, f.out, 'logical'),
      `cd '${f.home}'`,
      // allow run from the physical path is the same trust entry.
      `cd '${physical}'`,
      lang.mark(shell, f.out, 'physical'),
    ]);
    expect(run.out).toEqual(['logical linked-profile', 'physical linked-profile']);
    const trust = JSON.parse(readFileSync(join(f.home, '.local/state/bedrock-profile/trust.json'), 'utf8'));
    expect(trust.allowed.map((e: { file: string }) => e.file)).toEqual([
      join(physical, '.claude', 'settings.json'),
    ]);
  });

  it('a directory name that is not valid UTF-8: refused in one line, never another directory', async () => {
    const name = Buffer.concat([Buffer.from('bad8-'), Buffer.from([0xff, 0xfe]), Buffer.from('-x')]);
    const dir = Buffer.concat([Buffer.from(`${f.home}/`), name]);
    mkdirSync(Buffer.concat([dir, Buffer.from('/.git')]), { recursive: true });
    mkdirSync(Buffer.concat([dir, Buffer.from('/.claude')]));
    writeFileSync(
      Buffer.concat([dir, Buffer.from('/.claude/settings.json')]),
      '{"env":{"AWS_PROFILE":"u8"}}',
    );
    const q =
      shell === 'fish'
        ? `(printf '%b' '${f.home}/bad8-\\xff\\xfe-x' | string collect)`
        : `$'${f.home}/bad8-\\xff\\xfe-x'`;
    const err = join(f.root, `u8-${shell}.txt`);
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd ${q}`,
      lang.mark(shell, f.out, 'u8'),
      `bedrock-profile status 2>'${err}' >/dev/null`,
      `bedrock-profile allow 2>>'${err}' >/dev/null`,
    ]);
    const line = `the directory name "${f.home}/bad8-??-x" is not valid UTF-8, so bedrock-profile cannot name it and does nothing there; rename the directory to a UTF-8 name`;
    expect(run.out).toEqual(['u8 (unset)']);
    expect(run.stderr).toBe(`bedrock-profile: ${line}\n`);
    expect(readFileSync(err, 'utf8')).toBe(`bedrock-profile: ${line}\nbedrock-profile: ${line}\n`);
    const records = join(f.home, '.cache/bedrock-profile/records');
    for (const n of existsSync(records) ? readdirSync(records) : []) expect(n).not.toContain('\uFFFD');
  });

  it('a newline in an intermediate directory: the walk up finds the repo (fish: one path, not two)', async () => {
    const dir = f.repo('nl\nparent/repo', { env: { AWS_PROFILE: 'nl-profile' } });
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    const q = lang.quote(shell, join(dir, 'sub', 'deeper'));
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd ${q}`,
      'bedrock-profile allow >/dev/null',
      lang.mark(shell, f.out, 'deeper'),
    ]);
    expect(run.stderr).not.toContain('too many arguments');
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      "bedrock-profile: this repo uses AWS profile 'nl-profile' (.claude/settings.json)",
      '  switch to it: bedrock-profile allow; stop this message: bedrock-profile deny',
    ]);
    expect(run.out).toEqual(['deeper nl-profile']);
  });

  it('a settings file dated in the future: no Node start on every prompt; one line with the fix', async () => {
    const dir = f.repo('future', { env: { AWS_PROFILE: 'future-profile' } });
    const file = join(dir, '.claude', 'settings.json');
    const future = Date.now() / 1000 + 86400;
    utimesSync(file, future, future);
    const before = f.callCount();
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${dir}'`,
      ...Array.from({ length: 20 }, () => 'true'),
      lang.mark(shell, f.out, 'future'),
    ]);
    // The first visit, then at most two refreshes before the hook waits for the next cd (was: one per prompt).
    expect(f.callCount() - before).toBeLessThanOrEqual(3);
    const lines = run.stderr.split('\n').filter((l) => l.includes('dated in the future'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^bedrock-profile: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is dated in the future \\(\\d{4}-.*\\); until that date the hook looks again only on a cd; fix: touch `,
      ),
    );
    // The fix works: after touch, the cd refreshes once and this new shell speaks once (the untrusted
    // repo's hint); the prompts after it spawn nothing.
    const after = f.callCount();
    await runShell(shell, f, [
      lang.source(shell),
      `touch '${file}'`,
      `cd '${dir}'`,
      ...Array.from({ length: 10 }, () => 'true'),
    ]);
    expect(f.callCount() - after).toBeLessThanOrEqual(2);
  });

  it('a settings link retargeted to an older file: the next prompt sees the new profile', async () => {
    const dir = f.repo('retarget');
    const claude = join(dir, '.claude');
    mkdirSync(claude, { recursive: true });
    const old = Date.now() / 1000 - 86400;
    for (const [file, p] of [
      ['a.json', 'ta'],
      ['b.json', 'tb'],
    ] as const) {
      writeFileSync(join(claude, file), `{"env": {"AWS_PROFILE": "${p}"}}\n`);
      utimesSync(join(claude, file), old, old);
    }
    symlinkSync('a.json', join(claude, 'settings.json'));
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${dir}'`,
      'bedrock-profile allow >/dev/null',
      lang.mark(shell, f.out, 'a'),
      `ln -sfn b.json '${claude}/settings.json'`,
      'true',
      lang.mark(shell, f.out, 'b'),
    ]);
    // tb is another file (trust is keyed on the real path) and not trusted: ta is no longer exported.
    expect(run.out).toEqual(['a ta', 'b (unset)']);
  });

  it('use through a settings link that leaves the repo: refused, names the target, writes nothing', async () => {
    const user = f.write('.claude/settings.json', { env: { AWS_REGION: 'us-east-1' } });
    const userBefore = readFileSync(user, 'utf8');
    const dir = f.repo('uselink');
    mkdirSync(join(dir, '.claude'), { recursive: true });
    symlinkSync(user, join(dir, '.claude', 'settings.json'));
    const err = join(f.root, `use-${shell}.txt`);
    const run = await runShell(shell, f, [
      lang.source(shell),
      `cd '${dir}'`,
      `bedrock-profile use evil 2>'${err}' >/dev/null`,
      lang.status(shell, f.out, 'use'),
    ]);
    expect(run.out).toEqual(['use 3']);
    expect(readFileSync(err, 'utf8').split('\n').at(-2)).toBe(
      `bedrock-profile: ${dir}/.claude/settings.json is a symbolic link (or under one) that points to ${user}, outside ${dir}; nothing written. Replace the link with a file, or pass --follow-symlinks to edit ${user}`,
    );
    expect(readFileSync(user, 'utf8')).toBe(userBefore);
  });

  it("a repo's own aws and claude with `.` and an empty entry in PATH: doctor and login never run them", async () => {
    f.write(
      '.aws/config',
      '[profile sso-dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Dev\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n',
    );
    const dir = f.repo('tools', { env: { AWS_PROFILE: 'sso-dev' } });
    for (const tool of ['aws', 'claude'])
      writeFileSync(join(dir, tool), `#!/bin/sh\ntouch '${pwned}-${tool}'\necho aws-cli/2.99.0\n`, {
        mode: 0o755,
      });
    const set = (v: string) => (shell === 'fish' ? `set -gx PATH ${v} $PATH` : `export PATH="${v}:$PATH"`);
    await runShell(shell, f, [
      lang.source(shell),
      `cd '${dir}'`,
      set('.'),
      'bedrock-profile doctor >/dev/null 2>&1',
      'bedrock-profile login </dev/null >/dev/null 2>&1',
      shell === 'fish' ? 'set -gx PATH "" $PATH' : 'export PATH=":$PATH"',
      'bedrock-profile doctor >/dev/null 2>&1',
      'bedrock-profile login </dev/null >/dev/null 2>&1',
    ]);
    expect(existsSync(`${pwned}-aws`)).toBe(false);
    expect(existsSync(`${pwned}-claude`)).toBe(false);
  });

  it('a suggested command, pasted into the shell, runs with exactly the name (zsh expands a leading =)', async () => {
    const rec = join(f.root, `aws-argv-${shell}.txt`);
    const bin = join(f.root, `paste-bin-${shell}`);
    mkdirSync(bin);
    writeFileSync(join(bin, 'aws'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${rec}'\n`, { mode: 0o755 });
    const err = join(f.root, `paste-${shell}.txt`);
    await runShell(shell, f, [`bedrock-profile refresh --profile '=ls' 2>'${err}'`]);
    const said = readFileSync(err, 'utf8');
    const cmd = /create it with "(aws configure sso --profile [^"]+)"/.exec(said)?.[1];
    expect(cmd, said).toBe("aws configure sso --profile '=ls'");
    const path = shell === 'fish' ? `set -gx PATH '${bin}' $PATH` : `export PATH='${bin}':"$PATH"`;
    await runShell(shell, f, [path, cmd!]);
    expect(readFileSync(rec, 'utf8')).toBe('configure\nsso\n--profile\n=ls\n');
  });

  it('a profile name with a newline or code: login and refresh refuse it in one line; the daemon never logs it', async () => {
    const forged = 'x\nbedrock-profile: signed in to prod';
    const code = `$(touch\${IFS}${pwned}-log)`;
    const a = f.repo('forge', { env: { AWS_PROFILE: forged } });
    const b = f.repo('logname', { env: { AWS_PROFILE: code } });
    const err = join(f.root, `forge-${shell}.txt`);
    await runShell(shell, f, [
      lang.source(shell),
      `cd '${a}'`,
      `bedrock-profile login </dev/null 2>'${err}' >/dev/null`,
      `bedrock-profile refresh 2>>'${err}' >/dev/null`,
      `cd '${b}'`,
      `bedrock-profile daemon --once >/dev/null 2>&1`,
    ]);
    const line = `bedrock-profile: the AWS_PROFILE in effect here (from ${a}/.claude/settings.json) is not a profile name (${RULE}); fix it there, or name a profile with --profile\n`;
    expect(readFileSync(err, 'utf8')).toBe(line + line);
    const log = readFileSync(join(f.home, '.local/state/bedrock-profile/daemon.log'), 'utf8');
    expect(log).not.toContain('touch');
    expect(log).not.toContain('signed in to prod');
    expect(log).toContain('AWS_PROFILE is not a profile name');
    expect(existsSync(`${pwned}-log`)).toBe(false);
  });
});
