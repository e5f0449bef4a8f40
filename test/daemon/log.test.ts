/** The daemon's log: redaction (by key, by value pattern, by exact value), rotation, and `logs`. */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatLogLine } from '../../src/log/format.js';
import { createLogger } from '../../src/log/logger.js';
import { REDACTED, Redactor } from '../../src/log/redact.js';
import { BIN, runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let home: TempHome | undefined;
afterEach(() => home?.cleanup());

const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6m8Qx0Zr9yb8c0gVj1pQ2';
const SSO_TOKEN = 'aoaAAAAAGcAbCdEfGhIjKlMnOpQrStUvWxYz0123456789ABCDEFGHIJKLMNOP';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

describe('redaction', () => {
  const r = new Redactor();
  it('by key, at any depth, whatever the spelling', () => {
    const out = r.redact({
      accessToken: 'short',
      nested: {
        refresh_token: 'x1',
        ClientSecret: 'x2',
        AWS_SECRET_ACCESS_KEY: 'x3',
        aws_session_token: 'x4',
        Authorization: 'x5',
      },
      list: [{ AWS_BEARER_TOKEN_BEDROCK: 'x6' }],
      profile: 'dev',
    });
    expect(JSON.stringify(out)).not.toMatch(/short|x1|x2|x3|x4|x5|x6/);
    expect(out).toMatchObject({ accessToken: REDACTED, profile: 'dev' });
  });

  it('by value pattern in free text: bearer tokens, secret keys, session tokens, JWTs, key=value', () => {
    const text = [
      `Authorization: Bearer ${SSO_TOKEN}`,
      `secret ${SECRET_KEY} here`,
      `token=${SESSION_TOKEN}`,
      `jwt ${JWT}`,
      `{"refreshToken": "abc.def-ghi"}`,
      `x-amz-sso_bearer_token: zzzzzzzzzzzz`,
    ].join('\n');
    const out = r.redactString(text);
    for (const s of [SSO_TOKEN, SECRET_KEY, SESSION_TOKEN, JWT, 'abc.def-ghi', 'zzzzzzzzzzzz'])
      expect(out).not.toContain(s);
  });

  it('keeps what is not secret: paths, sha1 file names, profile names, dates, URLs', () => {
    const text =
      '/tmp/bp-test-AbC123/home/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json profile dev-Admin_2 at 2026-11-24T09:00:00Z https://corp.awsapps.com/start';
    expect(r.redactString(text)).toBe(text);
  });

  it('by exact value for secrets the daemon handled, even short or oddly shaped ones', () => {
    const x = new Redactor();
    x.addSecret('fake-at-0123456789abcdef');
    expect(x.redactString('token fake-at-0123456789abcdef used')).toBe(`token ${REDACTED} used`);
  });
});

describe('log file', () => {
  it('JSON lines, mode 0600, secrets redacted, size-bounded with one old file kept', () => {
    home = makeTempHome();
    const file = join(home.root, 'logs', 'daemon.log');
    const log = createLogger({ file, now: () => Date.UTC(2026, 10, 24, 9, 0, 0), maxBytes: 2000 });
    log.addSecret('exact-secret-value-1');
    for (let i = 0; i < 40; i++)
      log.info(`line ${i} with exact-secret-value-1`, {
        accessToken: SSO_TOKEN,
        detail: `Bearer ${SSO_TOKEN}`,
      });
    log.close();
    const text = readFileSync(file, 'utf8') + readFileSync(`${file}.1`, 'utf8');
    expect(text).not.toContain(SSO_TOKEN);
    expect(text).not.toContain('exact-secret-value-1');
    expect(statSync(file).size).toBeLessThanOrEqual(2000);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}.2`)).toBe(false);
    const last = readFileSync(file, 'utf8').trim().split('\n').pop()!;
    expect(JSON.parse(last)).toMatchObject({
      level: 'info',
      msg: `line 39 with ${REDACTED}`,
      time: Date.UTC(2026, 10, 24, 9, 0, 0),
    });
  });

  it('formats a line readably, with control characters stripped', () => {
    const line = JSON.stringify({
      level: 'warn',
      time: Date.UTC(2026, 10, 24, 9, 5, 7),
      pid: 1,
      msg: 'refresh failed\u001b[31m',
      session: 'corp',
      detail: 'socket hang up',
    });
    expect(formatLogLine(line)).toBe(
      '2026-11-24 09:05:07Z WARN  refresh failed?[31m  session=corp detail="socket hang up"',
    );
  });

  it('bedrock-profile logs prints the last lines readable; --json as stored', async () => {
    home = makeTempHome();
    const env = { ...home.env, XDG_STATE_HOME: join(home.root, 'state') };
    const file = join(home.root, 'state', 'bedrock-profile', 'daemon.log');
    const log = createLogger({ file, now: () => Date.UTC(2026, 10, 24, 9, 0, 0) });
    for (let i = 0; i < 5; i++) log.info(`event ${i}`, { session: 'corp' });
    log.close();
    const r = await runCli(['logs', '-n', '2'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '2026-11-24 09:00:00Z INFO  event 3  session=corp\n2026-11-24 09:00:00Z INFO  event 4  session=corp\n',
    );
    const j = await runCli(['logs', '-n', '1', '--json'], { env });
    expect(JSON.parse(j.stdout)).toMatchObject({ msg: 'event 4', session: 'corp' });
    const none = await runCli(['logs'], { env: { ...home.env, XDG_STATE_HOME: join(home.root, 'empty') } });
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('no log yet');
  });

  it('logs -f follows new lines until interrupted, then exits 0', async () => {
    home = makeTempHome();
    const env = { ...home.env, XDG_STATE_HOME: join(home.root, 'state') };
    const file = join(home.root, 'state', 'bedrock-profile', 'daemon.log');
    const log = createLogger({ file, now: () => Date.UTC(2026, 10, 24, 9, 0, 0) });
    log.info('before');
    const child = spawn(process.execPath, [BIN, 'logs', '-f'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const until = async (cond: () => boolean) => {
      const end = Date.now() + 10_000;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out; output so far: ${out}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await until(() => out.includes('before'));
    log.info('after', { session: 'corp' });
    log.close();
    appendFileSync(file, '');
    await until(() => out.includes('after  session=corp'));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
