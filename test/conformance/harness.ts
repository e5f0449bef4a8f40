/**
 * One conformance case: a temp HOME with AWS profiles, Claude settings and a shell environment; the real
 * `claude -p` run in it against the fake AWS; `bedrock-profile status --json` and `doctor --json` run in
 * the same directory with the same environment. `observe` says what Claude Code did (from the fake's
 * records and its exit), `predict` what we said it would do (from our JSON alone, plus the fixture's
 * "who is this profile" map). The two have the same shape; agreement is equality.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loginCacheFile } from '../../src/aws/login-cache.js';
import type { StatusReport } from '../../src/status/status-report.js';
import { writeSsoCache } from '../support/aws-fixtures.js';
import { type ClaudeRun, claudeBinary, claudeEnv, runClaude } from '../support/claude-code.js';
import type { FakeAws, FakeRequest, IssuedKeys } from '../support/fake-aws.js';
import { runCli } from '../support/run-cli.js';
import type { TempHome } from '../support/temp-home.js';

export const CORP_URL = 'https://corp.awsapps.com/start';
export const LEGACY_URL = 'https://old.awsapps.com/start';

/** What a run did, or what we said it would do. `undefined` fields are not compared. */
export interface Outcome {
  /** Claude Code talked to Bedrock (runtime or Mantle) at all. */
  bedrock: boolean;
  /** `bedrock-runtime` or `bedrock-mantle` for the conversation turn. */
  endpoint?: 'runtime' | 'mantle';
  /** The answer came back (exit 0 with the model's text). */
  ok: boolean;
  /** "account/role-or-user" that signed, or "bearer" for a Bedrock API key. */
  identity?: string;
  region?: string;
  model?: string;
  authRefreshRan?: boolean;
  credentialExportRan?: boolean;
}

export interface DoctorCheck {
  id: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail: string;
  fix: string | null;
}
export interface DoctorJson {
  ok: boolean;
  checks: DoctorCheck[];
}

/** Doctor checks that judge the user's tooling around Claude Code (our daemon and hook, the aws CLI
 * version `aws sso login` needs), not whether Claude Code answers now: they are shown, not compared. */
export const TOOLING_CHECKS = new Set(['aws-cli', 'daemon', 'hook']);

export class Fixture {
  /** The user's shell variables (HOME, PATH, TERM and the fake's endpoints are added for every run). */
  shell: Record<string, string> = {};
  /** Where claude, status and doctor start. */
  cwd: string;
  /** The git repository (`repo`) and the start directory inside it. */
  readonly repo: string;
  /** Profile name → "account/role" it signs as (what status's profile name means). */
  readonly who: Record<string, string> = {};
  /** The identity of the key pair Claude's env holds, when status says env-keys. */
  envKeys?: string;
  /** The identity awsCredentialExport hands out. */
  exportIdentity?: string;
  /** Which model the conversation turn must use, when the case pins one (undefined: not compared). */
  turnModelVar?: string;
  private signedIn = false;
  private configText = '';
  private credentialsText = '';

  constructor(
    readonly t: TempHome,
    readonly fake: FakeAws,
  ) {
    this.repo = t.mkdir('work/repo');
    execFileSync('git', ['init', '-q', this.repo]);
    this.cwd = this.repo;
  }

  get home(): string {
    return this.t.home;
  }

  config(text: string): void {
    this.configText += `${text.trim()}\n\n`;
    this.t.write('.aws/config', this.configText);
  }

  credentials(text: string): void {
    this.credentialsText += `${text.trim()}\n\n`;
    this.t.write('.aws/credentials', this.credentialsText, 0o600);
  }

  /** An IAM Identity Center profile on sso-session `corp`, signed in (token valid for `ttlSeconds`). */
  ssoProfile(
    name: string,
    account: string,
    role: string,
    opts: { region?: string; ttlSeconds?: number; refreshable?: boolean } = {},
  ): void {
    this.config(
      `[${name === 'default' ? 'default' : `profile ${name}`}]\nsso_session = corp\nsso_account_id = ${account}\nsso_role_name = ${role}\n${opts.region ? `region = ${opts.region}\n` : ''}`,
    );
    if (!this.configText.includes('[sso-session corp]')) {
      this.config(
        `[sso-session corp]\nsso_start_url = ${CORP_URL}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access`,
      );
    }
    if (!this.signedIn) this.signIn(opts.ttlSeconds ?? 3600, opts);
    this.who[name] = `${account}/${role}`;
  }

  /** Write corp's token cache as `aws sso login` leaves it. */
  signIn(ttlSeconds: number, opts: { refreshable?: boolean } = {}): void {
    const tok = this.fake.issueToken({ ttlSeconds });
    const fields =
      opts.refreshable === false
        ? { accessToken: tok.accessToken, expiresAt: tok.expiresAt }
        : { ...tok, region: 'us-east-1', startUrl: CORP_URL };
    writeSsoCache(this.t, 'corp', { ...fields, region: 'us-east-1', startUrl: CORP_URL });
    this.signedIn = true;
  }

  legacySsoProfile(name: string, account: string, role: string, region?: string): void {
    this.config(
      `[profile ${name}]\nsso_start_url = ${LEGACY_URL}\nsso_region = us-east-1\nsso_account_id = ${account}\nsso_role_name = ${role}\n${region ? `region = ${region}\n` : ''}`,
    );
    const token = `legacy-${Math.random().toString(36).slice(2)}`;
    const expiresAt = Date.now() + 3600_000;
    this.fake.seedAccessToken(token, expiresAt);
    writeSsoCache(this.t, LEGACY_URL, {
      accessToken: token,
      expiresAt,
      region: 'us-east-1',
      startUrl: LEGACY_URL,
    });
    this.who[name] = `${account}/${role}`;
  }

  /** An `aws login` profile: login_session and the cached console credentials the AWS CLI leaves. */
  loginProfile(name: string, account: string, role: string, region?: string): void {
    const session = `arn:aws:iam::${account}:user/${role}`;
    this.config(`[profile ${name}]\nlogin_session = ${session}\n${region ? `region = ${region}\n` : ''}`);
    const creds = this.fake.issueRoleCredentials(account, role);
    this.t.write(
      loginCacheFile(join(this.home, '.aws', 'login', 'cache'), session),
      {
        accessToken: {
          accessKeyId: creds.accessKeyId,
          secretAccessKey: creds.secretAccessKey,
          sessionToken: creds.sessionToken,
          accountId: account,
          expiresAt: new Date(creds.expiresAt!).toISOString(),
        },
        tokenType: 'aws_sigv4',
        clientId: 'arn:aws:signin:::devtools/same-device',
        refreshToken: `fake-login-rt-${Math.random().toString(36).slice(2)}`,
        idToken: 'fake-id-token',
        dpopKey: '-----BEGIN EC PRIVATE KEY-----\nfake\n-----END EC PRIVATE KEY-----\n',
      },
      0o600,
    );
    this.who[name] = `${account}/${role}`;
  }

  /** A profile with long-term keys in the credentials file. */
  staticProfile(name: string, account: string, opts: { region?: string } = {}): IssuedKeys {
    const keys = this.fake.seedStaticKeys({ account, userName: `${name}-user` });
    this.credentials(
      `[${name}]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n${opts.region ? `region = ${opts.region}\n` : ''}`,
    );
    this.who[name] = `${account}/${name}-user`;
    return keys;
  }

  /** A key pair for the environment (pasted from the console). */
  keys(account: string, user: string): IssuedKeys {
    return this.fake.seedStaticKeys({ account, userName: user });
  }

  /** A credential_process profile whose program prints the keys of an IAM user. */
  processProfile(name: string, account: string, region?: string): void {
    const keys = this.fake.seedStaticKeys({ account, userName: `${name}-proc` });
    const script = this.script(
      `bin/${name}-creds`,
      `printf '%s' '${JSON.stringify({ Version: 1, AccessKeyId: keys.accessKeyId, SecretAccessKey: keys.secretAccessKey })}'`,
    );
    this.config(`[profile ${name}]\ncredential_process = ${script}\n${region ? `region = ${region}\n` : ''}`);
    this.who[name] = `${account}/${name}-proc`;
  }

  /** A role chain: role_arn assumed with the source profile's credentials. */
  roleChain(name: string, account: string, role: string, source: string, region?: string): void {
    this.config(
      `[profile ${name}]\nrole_arn = arn:aws:iam::${account}:role/${role}\nsource_profile = ${source}\n${region ? `region = ${region}\n` : ''}`,
    );
    this.who[name] = `${account}/${role}`;
  }

  /** An executable shell script under HOME; returns its path. */
  script(rel: string, body: string): string {
    const file = this.t.write(rel, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  }

  /** A marker file the awsAuthRefresh / awsCredentialExport commands append to. */
  marker(name: string): string {
    const file = join(this.t.root, 'markers', name);
    mkdirSync(dirname(file), { recursive: true });
    return file;
  }

  ran(name: string): boolean {
    const file = join(this.t.root, 'markers', name);
    return existsSync(file) && readFileSync(file, 'utf8').length > 0;
  }

  settings(where: 'user' | 'project' | 'local' | string, data: Record<string, unknown>): string {
    const file =
      where === 'user'
        ? join(this.home, '.claude', 'settings.json')
        : where === 'project'
          ? join(this.cwd, '.claude', 'settings.json')
          : where === 'local'
            ? join(this.repo, '.claude', 'settings.local.json')
            : where;
    return this.t.write(file, data);
  }

  /** Start in a subdirectory of the repository. */
  startIn(rel: string): void {
    this.cwd = this.t.mkdir(join(this.repo, rel));
  }
}

export interface CaseResult {
  claude: ClaudeRun;
  status: StatusReport;
  doctor: DoctorJson;
  did: Outcome;
  said: Outcome;
}

const isTurn = (r: FakeRequest) =>
  (r.service === 'bedrock-runtime' || r.service === 'bedrock-mantle') && (r.tools ?? 0) > 0;
const isModelCall = (r: FakeRequest) =>
  (r.service === 'bedrock-runtime' || r.service === 'bedrock-mantle') && r.modelId !== undefined;

/** What Claude Code did, from its exit and the fake's records. */
export function observe(f: Fixture, run: ClaudeRun): Outcome {
  const calls = run.requests.filter(isModelCall);
  const turn = run.requests.filter(isTurn).at(-1) ?? calls.at(-1);
  const out: Outcome = {
    // On Bedrock even when it failed before its first model call: it then says it could not load AWS
    // credentials; the Anthropic API instead asks for /login.
    bedrock: calls.length > 0 || /AWS credentials|Bedrock/i.test(run.stdout + run.stderr),
    ok: run.code === 0 && run.stdout.includes('pong'),
    authRefreshRan: f.ran('auth-refresh'),
    credentialExportRan: f.ran('credential-export'),
  };
  if (turn) {
    out.endpoint = turn.service === 'bedrock-mantle' ? 'mantle' : 'runtime';
    out.identity =
      turn.auth === 'none'
        ? 'unsigned'
        : turn.auth === 'bearer'
          ? 'bearer'
          : turn.accountId
            ? `${turn.accountId}/${turn.roleName ?? userOf(f, turn)}`
            : undefined;
    out.region = turn.region;
    out.model = turn.modelId;
  }
  return out;
}

/** The IAM user name of a static key (the fake records the account; the user is in its identity). */
function userOf(f: Fixture, r: FakeRequest): string | undefined {
  const id = r.accessKeyId ? f.fake.identityOf(r.accessKeyId) : undefined;
  return id ? /:user\/(.+)$/.exec(id.arn)?.[1] : undefined;
}

const CREDS_WORK = new Set(['valid', 'expiring', 'not-sso']);

/** What status and doctor said Claude Code would do. */
export function predict(f: Fixture, status: StatusReport, doctor: DoctorJson): Outcome {
  const fails = doctor.checks.filter((c) => c.status === 'fail' && !TOOLING_CHECKS.has(c.id));
  const mantle = mantleValue(status);
  const bedrock = status.bedrock.enabled || isTruthy(mantle);
  const out: Outcome = {
    bedrock,
    ok: fails.length === 0,
    authRefreshRan: false,
    credentialExportRan: bedrock && status.auth.awsCredentialExport !== null,
  };
  if (!bedrock) return out;
  out.endpoint = isTruthy(mantle) && !status.bedrock.enabled ? 'mantle' : 'runtime';
  out.region = status.region.value ?? undefined;
  const credsWork =
    CREDS_WORK.has(status.session.status) ||
    (status.session.status === 'expired' && status.session.refreshable);
  if (status.auth.awsCredentialExport) out.identity = f.exportIdentity;
  else if (status.auth.kind === 'unsigned') out.identity = 'unsigned';
  else if (status.auth.kind === 'bearer-token') out.identity = 'bearer';
  else if (status.auth.kind === 'env-keys') out.identity = f.envKeys;
  else out.identity = f.who[status.profile.name];
  out.authRefreshRan =
    status.auth.kind === 'profile' &&
    !status.auth.awsCredentialExport &&
    status.auth.awsAuthRefresh !== null &&
    !credsWork;
  if (f.turnModelVar) out.model = pinnedModel(doctor, f.turnModelVar);
  return out;
}

/** The value doctor's model check shows for a pinned model variable (its detail starts with the id). */
function pinnedModel(doctor: DoctorJson, name: string): string | undefined {
  const c = doctor.checks.find((x) => x.id === `model:${name}`);
  return c ? c.detail.split(' ')[0] : undefined;
}

/** CLAUDE_CODE_USE_MANTLE as status reports it (bedrock.mantle, when status knows it). */
function mantleValue(status: StatusReport): string | null | undefined {
  return (status.bedrock as { mantle?: { value: string | null } }).mantle?.value;
}

function isTruthy(v: string | null | undefined): boolean {
  return v != null && ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase());
}

/** Run the three in one fixture: status and doctor first, on the state the user has when they ask (a
 * prediction), then Claude Code (whose awsAuthRefresh may change that state). */
export async function runCase(f: Fixture): Promise<CaseResult> {
  const bin = dirname(claudeBinary());
  const env = claudeEnv({
    home: f.home,
    fake: f.fake,
    env: { ...f.shell, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` },
  });
  // Our managed-settings directory (a test-only redirect) points at an empty directory: Claude Code reads
  // /etc/claude-code, which does not exist on the test machine either.
  const ours = { ...env, BEDROCK_PROFILE_MANAGED_DIR: join(f.t.root, 'managed'), NO_COLOR: '1' };
  const [st, dr] = await Promise.all([
    runCli(['status', '--json'], { env: ours, cwd: f.cwd, timeoutMs: 30_000 }),
    runCli(['doctor', '--json'], { env: ours, cwd: f.cwd, timeoutMs: 30_000 }),
  ]);
  let status: StatusReport;
  let doctor: DoctorJson;
  try {
    status = JSON.parse(st.stdout) as StatusReport;
    doctor = JSON.parse(dr.stdout) as DoctorJson;
  } catch {
    throw new Error(`status/doctor printed no JSON:\n${st.stdout}${st.stderr}\n${dr.stdout}${dr.stderr}`);
  }
  const claude = await runClaude({
    home: f.home,
    cwd: f.cwd,
    fake: f.fake,
    env: { ...f.shell, PATH: env.PATH },
  });
  return { claude, status, doctor, did: observe(f, claude), said: predict(f, status, doctor) };
}

/** One line of an outcome for the table. */
export function describeOutcome(o: Outcome): string {
  if (!o.bedrock) return `not Bedrock, ${o.ok ? 'answered' : 'failed'}`;
  const parts = [
    o.ok ? 'answered' : 'failed',
    o.endpoint,
    o.identity ?? 'identity ?',
    o.region ?? 'region ?',
  ];
  if (o.model) parts.push(o.model);
  if (o.authRefreshRan) parts.push('awsAuthRefresh ran');
  if (o.credentialExportRan) parts.push('awsCredentialExport ran');
  return parts.join(', ');
}

/** The fields both sides state (a field the prediction leaves out is not compared). */
export function disagreements(did: Outcome, said: Outcome): string[] {
  const out: string[] = [];
  for (const k of Object.keys(said) as Array<keyof Outcome>) {
    if (said[k] === undefined) continue;
    // Who signed, the region and the model are seen on the wire only: a run that stopped before its first
    // model call, or a bearer-token call (no SigV4 scope), shows none, and they are not compared.
    if ((k === 'identity' || k === 'region' || k === 'model' || k === 'endpoint') && did[k] === undefined)
      continue;
    if (did[k] !== said[k]) out.push(`${k}: Claude Code ${String(did[k])}, we ${String(said[k])}`);
  }
  return out;
}

export type { IssuedKeys };
