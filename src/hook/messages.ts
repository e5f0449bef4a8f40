/**
 * The lines the hooks print, decided here (the shells only print what `bedrock-profile resolve` says).
 * Each is ONE line, starts with `bedrock-profile:`, ends with the fix, and is stripped of control characters.
 */

import { sanitizeLine } from '../core/sanitize.js';
import { combinedFix } from '../core/stray.js';
import type { Consumer, StrayFinding } from '../core/types.js';

const WHO: Record<Consumer, string> = {
  'claude-here': 'Claude Code started here',
  'claude-subdir': 'Claude Code started in a subdirectory',
  'aws-cli': 'aws commands',
  'aws-sso-login': 'aws sso login',
  'agent-commands': "the agent's aws commands",
};

function line(text: string): string {
  return `bedrock-profile: ${sanitizeLine(text)}`;
}

/** One line for every stray variable at once: the names, the profile they override, who, and the fix. */
export function strayLine(findings: readonly StrayFinding[], profile: string): string | undefined {
  if (findings.length === 0) return undefined;
  const names = [...new Set(findings.map((f) => f.name))];
  const who = [...new Set(findings.flatMap((f) => f.consumers))].map((c) => WHO[c]);
  const verb = names.length > 1 ? 'override' : 'overrides';
  return line(
    `${names.join(', ')} ${verb} profile '${profile}' for ${who.join(', ')}; fix: ${combinedFix(findings).join('; ')}`,
  );
}

export function untrustedLine(profile: string, file: string): string {
  return line(
    `this repo uses AWS profile '${profile}' (${file}); run 'bedrock-profile allow' to switch to it here, or 'bedrock-profile deny' to stop this message`,
  );
}

export function refusedLine(file: string, value: string, rule: string): string {
  const shown = value.length > 64 ? `${value.slice(0, 61)}...` : value;
  return line(`refusing AWS_PROFILE '${shown}' from ${file}: not a profile name (${rule}); fix the file`);
}

export function noticeLine(text: string): string {
  return line(text);
}
