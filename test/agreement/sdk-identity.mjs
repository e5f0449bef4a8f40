// Run by the agreement tests in a CHILD node process whose env and HOME are a fixture's (the SDK reads
// process.env and os.homedir(), so this cannot run inside vitest). Resolves credentials the way Claude
// Code's Bedrock client does, with the JS SDK v3 default chain (fromNodeProviderChain), then asks STS (the
// fake on 127.0.0.1, through AWS_ENDPOINT_URL_STS) whose they are. Prints one JSON line; never a secret.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

const warnings = [];
console.warn = (...args) => warnings.push(args.join(' ').replace(/\s+/g, ' ').trim());

function print(result) {
  process.stdout.write(`${JSON.stringify({ ...result, warnings })}\n`);
}

try {
  const credentials = await fromNodeProviderChain()();
  const sts = new STSClient({ region: process.env.AWS_REGION || 'us-east-1', credentials, maxAttempts: 1 });
  const id = await sts.send(new GetCallerIdentityCommand({}));
  print({ ok: true, accessKeyId: credentials.accessKeyId, account: id.Account, arn: id.Arn });
} catch (err) {
  print({ ok: false, error: err?.name ?? 'Error', message: String(err?.message ?? err).split('\n')[0] });
}
