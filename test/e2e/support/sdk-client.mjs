// A long-lived JS SDK v3 consumer, the way Claude Code's Bedrock client is one: ONE default credential
// chain (fromNodeProviderChain, memoized by the SDK) for the whole process, and a call every INTERVAL_MS,
// STS GetCallerIdentity against the fake on 127.0.0.1. Each call prints one JSON line (never a secret) and
// the loop stops when STOP_FILE exists. Runs in a child process with the fixture's HOME and env, because the
// SDK reads process.env and os.homedir().
import { existsSync } from 'node:fs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

const interval = Number(process.env.INTERVAL_MS ?? 2000);
const stopFile = process.env.STOP_FILE;
const credentials = fromNodeProviderChain();
const sts = new STSClient({ region: process.env.AWS_REGION || 'us-east-1', credentials, maxAttempts: 1 });

while (!stopFile || !existsSync(stopFile)) {
  const at = Date.now();
  try {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    process.stdout.write(`${JSON.stringify({ at, ok: true, account: id.Account })}\n`);
  } catch (err) {
    const message = String(err?.message ?? err).split('\n')[0];
    process.stdout.write(`${JSON.stringify({ at, ok: false, error: err?.name ?? 'Error', message })}\n`);
  }
  await new Promise((r) => setTimeout(r, interval));
}
