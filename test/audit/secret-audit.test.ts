/**
 * The secret audit: every command, the daemon and the shell hook run against a HOME that holds a known,
 * distinctive secret in every place one can be (the SSO cache's access token, refresh token and client
 * secret; aws_secret_access_key and aws_session_token in the credentials file; AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN and AWS_BEARER_TOKEN_BEDROCK in the shell env and in Claude's settings env), with the
 * fake AWS accepting them so the live paths (doctor --live, refresh, login, the daemon's refresh) really
 * use them. Then every stdout and stderr, every file we wrote (logs, daemon state, hook records, trust list,
 * tool-version cache), every notification (notify-send stand-in) and the hook's stderr in a real zsh are
 * searched for every secret, including the tokens the refreshes produced on the way, also after an SSO-OIDC
 * endpoint echoed the refresh token and client secret back in its error bodies. A 12-character slice of a
 * secret counts. Any hit fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenCacheFile } from '../../src/aws/token-cache.js';
import { writeDevAndKeysProfiles, writeSsoCache } from '../support/aws-fixtures.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws.js';
import { startHostileOidc } from '../support/hostile-oidc.js';
import { BIN, REPO_ROOT, runCli } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { findLeaks, makeSecrets, type Secrets } from './secrets.js';

const START_URL = 'https://corp.awsapps.com/start';
const STANDIN_BIN = join(REPO_ROOT, 'test', 'support', 'bin');
const AWS_V2_BIN = join(REPO_ROOT, 'test', 'support', 'bin-aws-v2');
const MIN = 60_000;

let home: TempHome;
let fake: FakeAws;
let secrets: Secrets;
let env: Record<string, string>;
let repo: string;
let cacheFile: string;
/** Error answers the echoing endpoint gave (each carried the refresh token and client secret). */
let echoed = 0;
/** Everything any command printed, labelled. */
const outputs: Array<{ label: string; text: string }> = [];
/** Secrets only known at run time: tokens issued by the fake, read back from the cache after each step. */
const runtimeSecrets: Record<string, string> = {};
/** `export`'s stdout: the one output that carries secrets on purpose. */
const exportStdouts: Array<{ label: string; text: string }> = [];
/** The secret values `export` printed (secret keys and session tokens), by label. */
const exportedSecrets: Record<string, string> = {};

/** `export`: its stderr joins the other outputs; its stdout is kept apart, and what it printed is noted. */
async function runExport(args: string[], extraEnv: Record<string, string> = {}): Promise<number> {
  const r = await runCli(['export', ...args], { env: { ...env, ...extraEnv }, cwd: repo, timeoutMs: 60_000 });
  const label = `bedrock-profile export ${args.join(' ')}`;
  outputs.push({ label: `${label} (stderr)`, text: r.stderr });
  exportStdouts.push({ label, text: r.stdout });
  for (const m of r.stdout.matchAll(
    /(SecretAccessKey|SessionToken|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN)["=: ]+'?"?([^"'\n]+)/g,
  )) {
    exportedSecrets[`${exportStdouts.length}:${label}:${m[1]}`] = m[2]!;
  }
  harvestCache(label);
  return r.code;
}

function harvestCache(label: string): void {
  if (!existsSync(cacheFile)) return;
  const c = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, string>;
  for (const k of ['accessToken', 'refreshToken', 'clientSecret']) {
    if (c[k]) runtimeSecrets[`${label}:${k}:${c[k]!.slice(-6)}`] = c[k]!;
  }
}

/** Sign in again: a fresh token from the fake whose client secret is the planted one. */
function signIn(ttlMs: number): void {
  const t = fake.issueToken({ ttlSeconds: ttlMs / 1000, clientSecret: secrets.cacheClientSecret });
  writeSsoCache(home, 'corp', {
    ...t,
    accessToken: secrets.cacheAccessToken,
    region: 'us-east-1',
    startUrl: START_URL,
  });
  fake.seedAccessToken(secrets.cacheAccessToken, t.expiresAt);
  harvestCache('signin');
}

async function run(
  args: string[],
  extraEnv: Record<string, string | undefined> = {},
  cwd = repo,
): Promise<number> {
  const e: Record<string, string> = { ...env };
  for (const [k, v] of Object.entries(extraEnv)) {
    if (v === undefined) delete e[k];
    else e[k] = v;
  }
  const r = await runCli(args, { env: e, cwd, timeoutMs: 60_000 });
  outputs.push({ label: `bedrock-profile ${args.join(' ')}`, text: `${r.stdout}\n${r.stderr}` });
  harvestCache(args.join(' '));
  return r.code;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.isFile() && st.size < 5 * 1024 * 1024) out.push(p);
  }
  return out;
}

beforeAll(async () => {
  secrets = makeSecrets();
  fake = await startFakeAws();
  home = makeTempHome('bp-audit-');
  const shellEnvSecrets = {
    AWS_ACCESS_KEY_ID: 'AKIAAUDITEXAMPLE0001',
    AWS_SECRET_ACCESS_KEY: secrets.envSecretKey,
    AWS_SESSION_TOKEN: secrets.envSessionToken,
    AWS_BEARER_TOKEN_BEDROCK: secrets.envBearerToken,
  };
  env = {
    ...home.env,
    ...fake.endpointEnv(),
    ...shellEnvSecrets,
    PATH: `${AWS_V2_BIN}:${STANDIN_BIN}:${home.env.PATH}`,
    XDG_CONFIG_HOME: join(home.root, 'config'),
    XDG_CACHE_HOME: join(home.root, 'cache'),
    XDG_STATE_HOME: join(home.root, 'state'),
    NOTIFY_SEND_LOG: join(home.root, 'notify-send.log'),
    SERVICE_STANDIN_LOG: join(home.root, 'service-calls.log'),
    AWS_STANDIN_LOG: join(home.root, 'aws-standin.log'),
  };
  writeDevAndKeysProfiles(home, START_URL, {
    accessKeyId: 'AKIAAUDITEXAMPLE0002',
    secretAccessKey: secrets.credentialsSecretKey,
    sessionToken: secrets.credentialsSessionToken,
  });
  fake.seedStaticKeys({
    account: '444455556666',
    accessKeyId: 'AKIAAUDITEXAMPLE0002',
    secretAccessKey: secrets.credentialsSecretKey,
  });
  fake.seedStaticKeys({
    account: '777788889999',
    accessKeyId: 'AKIAAUDITEXAMPLE0001',
    secretAccessKey: secrets.envSecretKey,
  });
  fake.seedBedrockApiKey(secrets.envBearerToken, '777788889999');
  fake.seedBedrockApiKey(secrets.settingsBearerToken, '111122223333');
  home.write('.claude/settings.json', {
    env: {
      CLAUDE_CODE_USE_BEDROCK: '1',
      AWS_REGION: 'us-east-1',
      AWS_SECRET_ACCESS_KEY: secrets.settingsSecretKey,
      AWS_SESSION_TOKEN: secrets.settingsSessionToken,
      AWS_BEARER_TOKEN_BEDROCK: secrets.settingsBearerToken,
    },
  });
  repo = home.mkdir('work/app');
  home.mkdir('work/app/.git');
  home.write('work/app/.claude/settings.json', { env: { AWS_PROFILE: 'dev' } });
  const keysRepo = home.mkdir('work/keys');
  home.write('work/keys/.claude/settings.json', { env: { AWS_PROFILE: 'keys' } });
  cacheFile = tokenCacheFile(join(home.home, '.aws', 'sso', 'cache'), 'corp');
  signIn(60 * MIN);

  // Read-only commands, here and in the static-keys repo.
  for (const cwd of [repo, keysRepo]) {
    for (const args of [
      ['status'],
      ['status', '--json'],
      ['resolve'],
      ['prompt'],
      ['doctor'],
      ['doctor', '--json'],
      ['doctor', '--live', '--json'],
      ['doctor', '--invoke'],
      ['models', '--json'],
      ['use', 'dev', '--dry-run'],
      ['init', '--region', 'us-east-1', '--dry-run'],
    ])
      await run(args, {}, cwd);
  }
  // Without a Bedrock API key in the settings, so the live checks sign with the SSO role credentials
  // (repo app) and with the credentials file's keys (repo keys).
  const userSettings = readFileSync(join(home.home, '.claude', 'settings.json'), 'utf8');
  const noBearer = JSON.parse(userSettings) as { env: Record<string, string> };
  delete noBearer.env.AWS_BEARER_TOKEN_BEDROCK;
  home.write('.claude/settings.json', noBearer);
  for (const cwd of [repo, keysRepo]) {
    await run(['doctor', '--live', '--json'], { AWS_BEARER_TOKEN_BEDROCK: undefined }, cwd);
    await run(['doctor', '--invoke'], { AWS_BEARER_TOKEN_BEDROCK: undefined }, cwd);
  }
  home.write('.claude/settings.json', userSettings);
  await run(['allow']);
  await run(['trust']);
  await run(['refresh', '--profile', 'dev']);
  await run(['login', '--profile', 'dev']);
  // The browser path (the v2 stand-in writes a fresh token as `aws sso login` would).
  const standin = fake.issueToken({ clientSecret: secrets.cacheClientSecret });
  runtimeSecrets['standin:accessToken'] = standin.accessToken;
  runtimeSecrets['standin:refreshToken'] = standin.refreshToken;
  await run(['login', '--profile', 'dev', '--force'], {
    AWS_STANDIN_TOKEN_FILE: cacheFile,
    AWS_STANDIN_TOKEN_JSON: JSON.stringify({
      startUrl: START_URL,
      region: 'us-east-1',
      accessToken: standin.accessToken,
      expiresAt: new Date(standin.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      clientId: standin.clientId,
      clientSecret: standin.clientSecret,
      registrationExpiresAt: new Date(standin.registrationExpiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      refreshToken: standin.refreshToken,
    }),
  });
  // export, the one command that prints secrets: every format, an SSO profile (a refresh first when the
  // session is about to end), the static keys of the credentials file, and a session that is over.
  await runExport(['--profile', 'dev']);
  await runExport(['--profile', 'dev', '--format', 'claude']);
  await runExport(['--profile', 'dev', '--format', 'env', '--shell', 'fish']);
  await runExport(['--profile', 'keys', '--format', 'env']);
  signIn(5 * MIN);
  await runExport(['--profile', 'dev']);
  fake.set({ oidc: 'invalidGrant' });
  signIn(-MIN);
  await runExport(['--profile', 'dev']);
  fake.set({ oidc: 'ok' });
  signIn(60 * MIN);
  // The daemon: a pass that refreshes, then a session the service ends (notification), then the
  // foreground daemon for a moment, stopped with SIGTERM.
  signIn(10 * MIN);
  await run(['daemon', '--once']);
  signIn(10 * MIN);
  fake.set({ oidc: 'invalidGrant' });
  await run(['daemon', '--once']);
  signIn(3 * MIN);
  await run(['daemon', '--once']);
  await runForeground(['daemon'], 2500);
  fake.set({ oidc: 'ok' });
  // An SSO-OIDC endpoint that echoes the request (the refresh token, the client secret) in its 400 and
  // 500 bodies: refresh, login (Claude Code shows its output), the daemon and status must not pass it on.
  const echo = await startHostileOidc();
  for (const mode of ['echo400', 'echo500'] as const) {
    echo.setMode(mode);
    signIn(10 * MIN);
    const viaEcho = { AWS_ENDPOINT_URL_SSO_OIDC: echo.url };
    await run(['refresh', '--profile', 'dev'], viaEcho);
    await run(['login', '--profile', 'dev'], viaEcho);
    await run(['daemon', '--once'], viaEcho);
    await run(['status', '--json'], viaEcho);
  }
  echoed = echo.requests.filter((r) => r.status === 400 || r.status === 500).length;
  await echo.close();
  await run(['logs']);
  await run(['logs', '--json']);
  await run(['service', 'status']);
  await run(['hook', 'zsh']);
  outputs.push({ label: 'zsh hook stderr', text: await zshSession() });
}, 240_000);

afterAll(async () => {
  await fake?.close();
  home?.cleanup();
});

/** The real daemon process for `ms`, then SIGTERM; its stdout and stderr are recorded. */
function runForeground(args: string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (text += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (text += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), ms);
    child.on('close', () => {
      clearTimeout(timer);
      outputs.push({ label: `bedrock-profile ${args.join(' ')} (foreground)`, text });
      resolve();
    });
  });
}

/** A real interactive zsh with the hook, moving into the repo with the secret-laden env: its stderr. */
function zshSession(): Promise<string> {
  const bin = join(home.root, 'bin');
  home.write(join(bin, 'bedrock-profile'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`, 0o755);
  const script = [
    `source ${REPO_ROOT}shell/hook.zsh`,
    `cd '${repo}'`,
    'true',
    `cd '${home.home}/work/keys'`,
    'export AWS_SESSION_TOKEN=other',
    'true',
    `cd '${repo}'`,
    'bedrock_profile_prompt',
    'exit',
  ].join('\n');
  return new Promise((resolve) => {
    const child = spawn('zsh', ['-f', '-i'], {
      env: { ...env, PATH: `${bin}:${env.PATH}`, TERM: 'dumb', PS1: '' },
      cwd: home.home,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (text += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (text += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    child.stdin.end(`${script}\n`);
  });
}

describe('secret audit', () => {
  const all = () => ({ ...secrets, ...runtimeSecrets });

  it('the scenario really exercised the secrets (live calls, refreshes, a notification, a hook warning)', () => {
    expect(fake.requestsOf('sso-oidc', 'CreateToken').filter((r) => r.status === 200).length).toBeGreaterThan(
      0,
    );
    expect(fake.requestsOf('sts', 'GetCallerIdentity').length).toBeGreaterThan(0);
    expect(fake.requests.some((r) => r.service === 'bedrock-runtime')).toBe(true);
    expect(readFileSync(env.NOTIFY_SEND_LOG!, 'utf8')).toMatch(/AWS session ends in/);
    expect(outputs.find((o) => o.label === 'zsh hook stderr')!.text).toMatch(/bedrock-profile: /);
    expect(Object.keys(runtimeSecrets).length).toBeGreaterThan(4);
    expect(echoed).toBeGreaterThanOrEqual(6);
    expect(outputs.some((o) => o.text.includes('InternalServerException HTTP 500'))).toBe(true);
  });

  it('the scanner catches a whole value and a 12-character slice of one', () => {
    expect(findLeaks(`token=${secrets.envSecretKey}`, secrets)).toEqual(['envSecretKey']);
    expect(findLeaks(`…${secrets.cacheRefreshToken.slice(-14, -2)}…`, secrets)).toEqual([
      'cacheRefreshToken',
    ]);
    expect(findLeaks('SEKRITcacheAccessToken (redacted)', secrets)).toEqual([]);
  });

  it("export printed the credentials, on stdout only, and no secret that was not its profile's", () => {
    expect(exportStdouts.filter((o) => o.text !== '')).toHaveLength(5);
    // The static keys of the credentials file are the profile's own: export prints them, on purpose.
    expect(findLeaks(exportStdouts[3]!.text, secrets)).toEqual([
      'credentialsSecretKey',
      'credentialsSessionToken',
    ]);
    for (const o of [...exportStdouts.slice(0, 3), exportStdouts[4]!])
      expect(findLeaks(o.text, secrets), o.label).toEqual([]);
    // The session that was over printed nothing and said so on stderr.
    expect(exportStdouts[5]!.text).toBe('');
    expect(
      outputs.find((o) => o.label === 'bedrock-profile export --profile dev (stderr)' && o.text)?.text,
    ).toMatch(/session of profile dev is over/);
    expect(Object.keys(exportedSecrets).length).toBeGreaterThanOrEqual(10);
    for (const v of Object.values(exportedSecrets)) expect(v.length).toBeGreaterThan(16);
  });

  it("the exported values appear nowhere but on export's stdout: no other output, file, log or notification", () => {
    const outputHits = outputs
      .map((o) => ({ label: o.label, leaks: findLeaks(o.text, exportedSecrets) }))
      .filter((h) => h.leaks.length > 0);
    expect(outputHits).toEqual([]);
    const files = [
      ...filesUnder(env.XDG_STATE_HOME!),
      ...filesUnder(env.XDG_CACHE_HOME!),
      ...filesUnder(env.XDG_CONFIG_HOME!),
      ...[env.NOTIFY_SEND_LOG!, env.AWS_STANDIN_LOG!].filter((f) => existsSync(f)),
    ];
    const fileHits = files
      .map((f) => ({ file: f, leaks: findLeaks(readFileSync(f, 'utf8'), exportedSecrets) }))
      .filter((h) => h.leaks.length > 0);
    expect(fileHits).toEqual([]);
  });

  it('no secret in any stdout or stderr', () => {
    const hits = outputs
      .map((o) => ({ label: o.label, leaks: findLeaks(o.text, all()) }))
      .filter((h) => h.leaks.length > 0);
    expect(hits).toEqual([]);
  });

  it('no secret in any file we wrote: logs, daemon state, hook records, trust list, caches, config', () => {
    const files = [
      ...filesUnder(env.XDG_STATE_HOME!),
      ...filesUnder(env.XDG_CACHE_HOME!),
      ...filesUnder(env.XDG_CONFIG_HOME!),
    ];
    expect(files.some((f) => f.endsWith('daemon.log'))).toBe(true);
    expect(files.some((f) => f.includes('records'))).toBe(true);
    const hits = files
      .map((f) => ({ file: f, leaks: findLeaks(readFileSync(f, 'utf8'), all()) }))
      .filter((h) => h.leaks.length > 0);
    expect(hits).toEqual([]);
  });

  it('no secret in any notification or in the aws stand-in calls', () => {
    for (const f of [env.NOTIFY_SEND_LOG!, env.AWS_STANDIN_LOG!, env.SERVICE_STANDIN_LOG!]) {
      if (existsSync(f)) expect(findLeaks(readFileSync(f, 'utf8'), all()), f).toEqual([]);
    }
  });

  it('no temp file with a token is left behind next to the cache', () => {
    const dir = join(home.home, '.aws', 'sso', 'cache');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
