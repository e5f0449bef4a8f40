/**
 * The fake AWS, driven by the real clients: AWS SDK v3 (in-process) and botocore (the `aws` CLI, as a
 * child process with a temp HOME). If these pass, tests that use the fake exercise the real wire protocols.
 */
import { readFileSync } from 'node:fs';
import { BedrockClient, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { GetRoleCredentialsCommand, SSOClient } from '@aws-sdk/client-sso';
import { CreateTokenCommand, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { readSsoToken } from '../../src/aws/token-cache.js';
import { parseRfc3339 } from '../../src/core/rfc3339.js';
import { runAws } from '../support/aws-cli.js';
import { writeAwsConfig, writeSsoCache } from '../support/aws-fixtures.js';
import { type FakeAws, type IssuedKeys, startFakeAws } from '../support/fake-aws.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let fake: FakeAws;
const region = 'us-east-1';

beforeAll(async () => {
  fake = await startFakeAws();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.set({
    oidc: 'ok',
    portal: 'ok',
    sts: 'ok',
    bedrock: 'ok',
    latencyMs: 0,
    accessTokenTtlSeconds: 3600,
    rotateRefreshToken: true,
  });
  fake.clearRequests();
});

const oidcClient = () => new SSOOIDCClient({ region, endpoint: fake.url, maxAttempts: 1 });
const credsOf = (k: IssuedKeys) => ({
  accessKeyId: k.accessKeyId,
  secretAccessKey: k.secretAccessKey,
  ...(k.sessionToken ? { sessionToken: k.sessionToken } : {}),
});
const stsWith = (k: IssuedKeys | { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
  new STSClient({ region, endpoint: fake.url, credentials: k, maxAttempts: 1 });

async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

describe('SSO-OIDC CreateToken with the JS SDK client', () => {
  test('refresh_token issues a new access token and rotates the refresh token', async () => {
    const t = fake.issueToken();
    const refresh = (refreshToken: string) =>
      oidcClient().send(
        new CreateTokenCommand({
          clientId: t.clientId,
          clientSecret: t.clientSecret,
          grantType: 'refresh_token',
          refreshToken,
        }),
      );
    fake.set({ accessTokenTtlSeconds: 1234 });
    const out = await refresh(t.refreshToken);
    expect(out.accessToken).toMatch(/^fake-at-/);
    expect(out.accessToken).not.toBe(t.accessToken);
    expect(out.expiresIn).toBe(1234);
    expect(out.refreshToken).toMatch(/^fake-rt-/);
    expect(out.refreshToken).not.toBe(t.refreshToken);
    // The old refresh token is spent, as with the real service's rotation.
    const err = await rejection(refresh(t.refreshToken));
    expect(err.name).toBe('InvalidGrantException');
    expect(err.error).toBe('invalid_grant');
    expect((err.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
    // The new one works.
    await expect(refresh(out.refreshToken!)).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(fake.requestsOf('sso-oidc', 'CreateToken').map((r) => r.status)).toEqual([200, 400, 200]);
  });

  test('without rotation the same refresh token keeps working', async () => {
    fake.set({ rotateRefreshToken: false });
    const t = fake.issueToken();
    const input = {
      clientId: t.clientId,
      clientSecret: t.clientSecret,
      grantType: 'refresh_token',
      refreshToken: t.refreshToken,
    };
    const a = await oidcClient().send(new CreateTokenCommand(input));
    const b = await oidcClient().send(new CreateTokenCommand(input));
    expect(a.refreshToken).toBe(t.refreshToken);
    expect(b.accessToken).not.toBe(a.accessToken);
  });

  test('behaviours: invalidGrant, expiredRegistration, revoked token, wrong secret', async () => {
    const t = fake.issueToken();
    const input = {
      clientId: t.clientId,
      clientSecret: t.clientSecret,
      grantType: 'refresh_token',
      refreshToken: t.refreshToken,
    };
    fake.set({ oidc: 'invalidGrant' });
    expect((await rejection(oidcClient().send(new CreateTokenCommand(input)))).name).toBe(
      'InvalidGrantException',
    );
    fake.set({ oidc: 'expiredRegistration' });
    const reg = await rejection(oidcClient().send(new CreateTokenCommand(input)));
    expect(reg.name).toBe('InvalidClientException');
    expect(reg.error).toBe('invalid_client');
    fake.set({ oidc: 'ok' });
    const wrong = await rejection(
      oidcClient().send(new CreateTokenCommand({ ...input, clientSecret: 'nope' })),
    );
    expect(wrong.name).toBe('InvalidClientException');
    fake.revokeRefreshToken(t.refreshToken);
    expect((await rejection(oidcClient().send(new CreateTokenCommand(input)))).name).toBe(
      'InvalidGrantException',
    );
    // A registration past its end is refused like the real service does.
    const old = fake.issueToken({ registrationExpiresAt: Date.now() - 1000 });
    const expired = await rejection(
      oidcClient().send(
        new CreateTokenCommand({
          clientId: old.clientId,
          clientSecret: old.clientSecret,
          grantType: 'refresh_token',
          refreshToken: old.refreshToken,
        }),
      ),
    );
    expect(expired.name).toBe('InvalidClientException');
  });

  test('status500 is a server fault the SDK retries; down drops the connection', async () => {
    const t = fake.issueToken();
    const input = {
      clientId: t.clientId,
      clientSecret: t.clientSecret,
      grantType: 'refresh_token',
      refreshToken: t.refreshToken,
    };
    fake.set({ oidc: 'status500' });
    const client = new SSOOIDCClient({
      region,
      endpoint: fake.url,
      maxAttempts: 2,
      retryStrategy: undefined,
    });
    const err = await rejection(client.send(new CreateTokenCommand(input)));
    expect(err.name).toBe('InternalServerException');
    expect(err.$fault).toBe('server');
    expect(fake.requestsOf('sso-oidc').length).toBe(2);
    fake.clearRequests();
    fake.set({ oidc: 'down' });
    const down = await rejection(oidcClient().send(new CreateTokenCommand(input)));
    expect(down.$metadata).toBeDefined();
    expect(String(down.code ?? down.name)).toMatch(/ECONNRESET|socket hang up|Error/);
    expect(fake.requestsOf('sso-oidc')[0]?.status).toBe('dropped');
  });

  test('latency delays the answer', async () => {
    fake.set({ latencyMs: 300 });
    const t = fake.issueToken();
    const start = Date.now();
    await oidcClient().send(
      new CreateTokenCommand({
        clientId: t.clientId,
        clientSecret: t.clientSecret,
        grantType: 'refresh_token',
        refreshToken: t.refreshToken,
      }),
    );
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
  });

  test('device authorization flow (RegisterClient, StartDeviceAuthorization, CreateToken device_code)', async () => {
    const { RegisterClientCommand, StartDeviceAuthorizationCommand } = await import(
      '@aws-sdk/client-sso-oidc'
    );
    const c = await oidcClient().send(
      new RegisterClientCommand({ clientName: 'test', clientType: 'public' }),
    );
    const d = await oidcClient().send(
      new StartDeviceAuthorizationCommand({
        clientId: c.clientId!,
        clientSecret: c.clientSecret!,
        startUrl: 'https://x.awsapps.com/start',
      }),
    );
    const tok = await oidcClient().send(
      new CreateTokenCommand({
        clientId: c.clientId!,
        clientSecret: c.clientSecret!,
        grantType: 'urn:ietf:params:oauth:grant-type:device_code',
        deviceCode: d.deviceCode!,
      }),
    );
    expect(tok.accessToken).toMatch(/^fake-at-/);
    expect(tok.refreshToken).toMatch(/^fake-rt-/);
  });
});

describe('SSO portal GetRoleCredentials and STS with the JS SDK clients', () => {
  test('a valid access token gets role credentials whose identity STS reports', async () => {
    const t = fake.issueToken();
    const sso = new SSOClient({ region, endpoint: fake.url, maxAttempts: 1 });
    const out = await sso.send(
      new GetRoleCredentialsCommand({
        accessToken: t.accessToken,
        accountId: '111122223333',
        roleName: 'Dev',
      }),
    );
    const rc = out.roleCredentials!;
    expect(rc.accessKeyId).toMatch(/^ASIA/);
    expect(rc.expiration).toBeGreaterThan(Date.now());
    const id = await stsWith({
      accessKeyId: rc.accessKeyId!,
      secretAccessKey: rc.secretAccessKey!,
      sessionToken: rc.sessionToken!,
    }).send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe('111122223333');
    expect(id.Arn).toBe('arn:aws:sts::111122223333:assumed-role/Dev/fake-user');
    expect(fake.requestsOf('sts', 'GetCallerIdentity')[0]?.accessKeyId).toBe(rc.accessKeyId);
  });

  test('expired, unknown and rejected bearer tokens get UnauthorizedException', async () => {
    const sso = new SSOClient({ region, endpoint: fake.url, maxAttempts: 1 });
    fake.seedAccessToken('old-token', Date.now() - 1000);
    const get = (accessToken: string) =>
      sso.send(new GetRoleCredentialsCommand({ accessToken, accountId: '111122223333', roleName: 'Dev' }));
    expect((await rejection(get('old-token'))).name).toBe('UnauthorizedException');
    expect((await rejection(get('never-issued'))).name).toBe('UnauthorizedException');
    const t = fake.issueToken();
    fake.set({ portal: 'unauthorized' });
    expect((await rejection(get(t.accessToken))).name).toBe('UnauthorizedException');
  });

  test('STS: static keys, wrong secret, unknown key, expired credentials, AssumeRole', async () => {
    const user = fake.seedStaticKeys({ account: '444455556666', userName: 'alice' });
    const me = await stsWith(credsOf(user)).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe('arn:aws:iam::444455556666:user/alice');

    const bad = await rejection(
      stsWith({ accessKeyId: user.accessKeyId, secretAccessKey: 'wrong' }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(bad.name).toBe('SignatureDoesNotMatch');
    const unknown = await rejection(
      stsWith({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})),
    );
    expect(unknown.name).toBe('InvalidClientTokenId');
    const expired = fake.issueRoleCredentials('111122223333', 'Dev', -10);
    // STS answers the query-protocol code `ExpiredToken`; the SDK surfaces it under that name.
    const exp = await rejection(stsWith(credsOf(expired)).send(new GetCallerIdentityCommand({})));
    expect(exp.name).toBe('ExpiredToken');
    expect(exp.message).toMatch(/expired/);

    const assumed = await stsWith(credsOf(user)).send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::777788889999:role/Admin', RoleSessionName: 'chain' }),
    );
    const c = assumed.Credentials!;
    const chained = await stsWith({
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    }).send(new GetCallerIdentityCommand({}));
    expect(chained.Arn).toBe('arn:aws:sts::777788889999:assumed-role/Admin/chain');
  });
});

describe('Bedrock with the JS SDK clients', () => {
  test('ListInferenceProfiles and Converse answer; accessDenied and expiredToken fail as the service does', async () => {
    const keys = credsOf(fake.seedStaticKeys({ account: '444455556666' }));
    fake.setInferenceProfiles([{ inferenceProfileId: 'eu.anthropic.claude-x:0' }]);
    const bedrock = new BedrockClient({ region, endpoint: fake.url, credentials: keys, maxAttempts: 1 });
    const list = await bedrock.send(new ListInferenceProfilesCommand({}));
    expect(list.inferenceProfileSummaries?.map((p) => p.inferenceProfileId)).toEqual([
      'eu.anthropic.claude-x:0',
    ]);
    const runtime = new BedrockRuntimeClient({
      region,
      endpoint: fake.url,
      credentials: keys,
      maxAttempts: 1,
    });
    const out = await runtime.send(
      new ConverseCommand({
        modelId: 'eu.anthropic.claude-x:0',
        messages: [{ role: 'user', content: [{ text: 'ping' }] }],
      }),
    );
    expect(out.output?.message?.content?.[0]?.text).toBe('pong');
    expect(fake.requestsOf('bedrock-runtime')[0]?.modelId).toBe('eu.anthropic.claude-x:0');
    fake.set({ bedrock: 'accessDenied' });
    expect((await rejection(bedrock.send(new ListInferenceProfilesCommand({})))).name).toBe(
      'AccessDeniedException',
    );
    fake.set({ bedrock: 'expiredToken' });
    expect(
      (
        await rejection(
          runtime.send(
            new ConverseCommand({ modelId: 'm', messages: [{ role: 'user', content: [{ text: 'ping' }] }] }),
          ),
        )
      ).name,
    ).toBe('ExpiredTokenException');
  });
});

test('recorded requests hold no secret', async () => {
  const t = fake.issueToken();
  const sso = new SSOClient({ region, endpoint: fake.url, maxAttempts: 1 });
  const rc = (
    await sso.send(
      new GetRoleCredentialsCommand({
        accessToken: t.accessToken,
        accountId: '111122223333',
        roleName: 'Dev',
      }),
    )
  ).roleCredentials!;
  await oidcClient().send(
    new CreateTokenCommand({
      clientId: t.clientId,
      clientSecret: t.clientSecret,
      grantType: 'refresh_token',
      refreshToken: t.refreshToken,
    }),
  );
  const text = JSON.stringify(fake.requests);
  for (const secret of [
    t.accessToken,
    t.refreshToken,
    t.clientSecret,
    rc.secretAccessKey!,
    rc.sessionToken!,
  ]) {
    expect(text).not.toContain(secret);
  }
});

describe('the real aws CLI (botocore) against the fake', () => {
  let home: TempHome;
  beforeAll(() => {
    home = makeTempHome();
  });
  afterAll(() => home.cleanup());

  const cliEnv = (extra: Record<string, string> = {}) => ({
    ...home.env,
    ...fake.endpointEnv(),
    AWS_DEFAULT_REGION: region,
    ...extra,
  });

  test('sts get-caller-identity with static keys in the environment', async () => {
    const user = fake.seedStaticKeys({ account: '444455556666', userName: 'bob' });
    const r = await runAws(
      ['sts', 'get-caller-identity', '--output', 'json'],
      cliEnv({ AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey }),
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({
      Account: '444455556666',
      Arn: 'arn:aws:iam::444455556666:user/bob',
    });
  });

  test('an sso-session profile: GetRoleCredentials with the cached token, then STS', async () => {
    const t = fake.issueToken();
    writeAwsConfig(
      home,
      [
        '[profile dev]',
        'sso_session = corp',
        'sso_account_id = 111122223333',
        'sso_role_name = Dev',
        `region = ${region}`,
        '',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        `sso_region = ${region}`,
        '',
      ].join('\n'),
    );
    writeSsoCache(home, 'corp', { ...t, region, startUrl: 'https://corp.awsapps.com/start' });
    const r = await runAws(['sts', 'get-caller-identity', '--profile', 'dev', '--output', 'json'], cliEnv());
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).Arn).toBe('arn:aws:sts::111122223333:assumed-role/Dev/fake-user');
    expect(fake.requestsOf('sso', 'GetRoleCredentials')).toHaveLength(1);
    expect(fake.requestsOf('sso-oidc')).toHaveLength(0);
  });

  test('botocore refreshes a token inside its 15-minute window and writes the cache back', async () => {
    const t = fake.issueToken({ ttlSeconds: 600 });
    const file = writeSsoCache(
      home,
      'corp',
      { ...t, region, startUrl: 'https://corp.awsapps.com/start' },
      'js',
    );
    const r = await runAws(['sts', 'get-caller-identity', '--profile', 'dev', '--output', 'json'], cliEnv());
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).Account).toBe('111122223333');
    expect(fake.requestsOf('sso-oidc', 'CreateToken').map((x) => x.status)).toEqual([200]);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written.accessToken).not.toBe(t.accessToken);
    expect(written.refreshToken).not.toBe(t.refreshToken);
    // botocore writes seconds, no fraction.
    expect(written.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(parseRfc3339(written.expiresAt)).toBeGreaterThan(Date.now() + 3000_000);
    // And our reader takes botocore's file as it is.
    const read = await readSsoToken(file);
    expect(read.status === 'ok' && read.token.refreshToken).toBe(written.refreshToken);
  });

  test('bedrock list-inference-profiles signs with the same keys', async () => {
    const user = fake.seedStaticKeys({ account: '444455556666' });
    fake.setInferenceProfiles([{ inferenceProfileId: 'us.anthropic.claude-y:0' }]);
    const r = await runAws(
      ['bedrock', 'list-inference-profiles', '--output', 'json'],
      cliEnv({ AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey }),
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).inferenceProfileSummaries[0].inferenceProfileId).toBe(
      'us.anthropic.claude-y:0',
    );
  });
});
