/**
 * The world a hostile case runs in: a throwaway HOME holding a normal Bedrock setup with a secret in every
 * place one can be (token cache, credentials file, Claude settings env, the shell env), a canary path that
 * hostile payloads try to create, and the checks every case must pass: no code executed, no hang, no crash,
 * no secret printed, no raw control character printed, the user's files byte-identical afterwards.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tokenCacheFile } from '../../src/aws/token-cache.js';
import { findLeaks, makeSecrets, type Secrets } from '../audit/secrets.js';
import { writeDevAndKeysProfiles } from '../support/aws-fixtures.js';
import { REPO_ROOT } from '../support/run-cli.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

export const START_URL = 'https://corp.awsapps.com/start';
/** `aws --version` says 2.x, so doctor never starts Python here (the real aws v1 is tested elsewhere). */
export const AWS_V2_BIN = join(REPO_ROOT, 'test', 'support', 'bin-aws-v2');

export interface HostileWorld extends TempHome {
  secrets: Secrets;
  /** A path no process should ever create; payloads embed it in shell syntax of every kind. */
  canary: string;
  /** The repo the commands run in: a git repo with `.claude/settings.json` naming profile dev. */
  repo: string;
  configDir: string;
  /** Our config file ($XDG_CONFIG_HOME/bedrock-profile/config.json). */
  configFile: string;
  cacheFile: string;
  /** Shell-syntax payloads that create the canary if anything ever evaluates them. */
  payloads: string[];
}

export function makeHostileWorld(): HostileWorld {
  const t = makeTempHome('bp-hostile-');
  const secrets = makeSecrets();
  const canary = `/tmp/pwned-${randomBytes(6).toString('hex')}`;
  const configDir = join(t.root, 'config');
  Object.assign(t.env, {
    XDG_CONFIG_HOME: configDir,
    XDG_CACHE_HOME: join(t.root, 'cache'),
    XDG_STATE_HOME: join(t.root, 'state'),
    PATH: `${AWS_V2_BIN}:${t.env.PATH}`,
    // A closed port: nothing here may reach a network, and nothing should try.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_SECRET_ACCESS_KEY: secrets.envSecretKey,
    AWS_SESSION_TOKEN: secrets.envSessionToken,
    AWS_BEARER_TOKEN_BEDROCK: secrets.envBearerToken,
    AWS_ACCESS_KEY_ID: 'AKIAHOSTILEEXAMPLE01',
  });
  writeDevAndKeysProfiles(t, START_URL, {
    accessKeyId: 'AKIAHOSTILEEXAMPLE02',
    secretAccessKey: secrets.credentialsSecretKey,
    sessionToken: secrets.credentialsSessionToken,
  });
  const cacheFile = t.write(
    tokenCacheFile(join(t.home, '.aws', 'sso', 'cache'), 'corp'),
    {
      startUrl: START_URL,
      region: 'us-east-1',
      accessToken: secrets.cacheAccessToken,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      clientId: 'hostile-client-id',
      clientSecret: secrets.cacheClientSecret,
      registrationExpiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      refreshToken: secrets.cacheRefreshToken,
    },
    0o600,
  );
  t.write('.claude/settings.json', {
    env: {
      CLAUDE_CODE_USE_BEDROCK: '1',
      AWS_REGION: 'us-east-1',
      AWS_SECRET_ACCESS_KEY: secrets.settingsSecretKey,
      AWS_SESSION_TOKEN: secrets.settingsSessionToken,
      AWS_BEARER_TOKEN_BEDROCK: secrets.settingsBearerToken,
    },
  });
  const repo = t.mkdir('work/app');
  t.mkdir('work/app/.git');
  t.write('work/app/.claude/settings.json', { env: { AWS_PROFILE: 'dev' } });
  const payloads = [
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `x; touch ${canary}`,
    `x && touch ${canary} #`,
    `x | touch ${canary}`,
    `x\ntouch ${canary}\n`,
    `\${IFS}$(touch\${IFS}${canary})`,
  ];
  return {
    ...t,
    secrets,
    canary,
    repo,
    configDir,
    configFile: join(configDir, 'bedrock-profile', 'config.json'),
    cacheFile,
    payloads,
    cleanup() {
      rmSync(canary, { force: true, recursive: true });
      t.cleanup();
    },
  };
}

/**
 * Every entry under `dir`: type, mode, and a content hash or link target (FIFOs and sockets by type only,
 * never opened). Equal snapshots mean the user's files are byte-identical.
 */
export function snapshotTree(
  dir: string,
  skip: (abs: string) => boolean = () => false,
): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string) => {
    let names: string[];
    try {
      names = readdirSync(abs).sort();
    } catch {
      out[rel || '.'] = 'unlistable';
      return;
    }
    for (const name of names) {
      const a = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      if (skip(a)) continue;
      const st = lstatSync(a);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out[r] = `link ${readlinkSync(a)}`;
      else if (st.isDirectory()) {
        out[r] = `dir ${mode}`;
        walk(a, r);
      } else if (st.isFile()) {
        out[r] = `file ${mode} ${st.size} ${createHash('sha256').update(readFileSync(a)).digest('hex')}`;
      } else out[r] = `special ${mode}`;
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return out;
}

/** The user's data: HOME and our config dir (our caches and state are ours to write). */
export function snapshotUserData(w: HostileWorld): Record<string, string> {
  return {
    ...prefixKeys('home/', snapshotTree(w.home)),
    ...prefixKeys('config/', snapshotTree(w.configDir)),
  };
}

function prefixKeys(prefix: string, o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [prefix + k, v]));
}

/** What went wrong with one command's output, as a list of problems (empty: all invariants hold). */
export function outputProblems(text: string, w: HostileWorld, opts: { protocol?: boolean } = {}): string[] {
  const problems: string[] = [];
  if (/internal error/i.test(text)) problems.push('says "internal error"');
  if (/^\s+at .+[:(].*\d+:\d+\)?$/m.test(text)) problems.push('prints a stack trace');
  if (/\b(TypeError|RangeError|ReferenceError|SyntaxError|Maximum call stack)\b/.test(text))
    problems.push('prints a JavaScript exception');
  if (!opts.protocol && /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text))
    problems.push('prints a raw control character');
  const leaks = findLeaks(text, w.secrets);
  if (leaks.length) problems.push(`prints secrets: ${leaks.join(', ')}`);
  return problems;
}
