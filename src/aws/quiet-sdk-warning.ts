/**
 * The AWS SDK v3 prints a NodeVersionSupportWarning on Node 20 to stderr the first time a client is built.
 * Our output (and Claude Code's, when it runs `login` as awsAuthRefresh) must stay clean: commands that
 * build SDK clients in-process call this once at their start. It sets the SDK's documented opt-out for
 * this process only, and respects a value the user set.
 */
export function quietAwsSdkNodeWarning(): void {
  if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  }
}
