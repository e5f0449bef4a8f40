/**
 * The offline checks, in the order they print: install, Claude settings, AWS identity, models, our own
 * moving parts. Each is a pure function of the gathered facts.
 */

import type { CheckResult } from './check.js';
import {
  checkAuthMethod,
  checkLastSignIn,
  checkProfile,
  checkSsoSession,
  checkStray,
} from './checks-auth.js';
import { checkBedrockExport } from './checks-identities.js';
import { checkClaudeIntegration } from './checks-integration.js';
import { checkModels } from './checks-models.js';
import { checkDaemon, checkHook } from './checks-runtime.js';
import { checkLegacyProfiles } from './checks-session-end.js';
import {
  checkAuthRefresh,
  checkClaudeLogin,
  checkIgnoredSettings,
  checkRegion,
  checkSettingsFiles,
  checkUseBedrock,
} from './checks-settings.js';
import { checkAwsCli, checkClaudeInstalled } from './checks-tools.js';
import type { DoctorFacts } from './facts.js';

export function offlineChecks(f: DoctorFacts): CheckResult[] {
  return [
    checkClaudeInstalled(f),
    checkAwsCli(f),
    checkSettingsFiles(f),
    checkUseBedrock(f),
    checkRegion(f),
    checkProfile(f),
    checkAuthMethod(f),
    // Only where there are two identities (docs/two-identities.md).
    ...(f.bedrockExport ? [checkBedrockExport(f)] : []),
    checkSsoSession(f),
    checkLegacyProfiles(f),
    checkLastSignIn(f),
    checkStray(f),
    checkIgnoredSettings(f),
    checkAuthRefresh(f),
    checkClaudeLogin(f),
    ...checkModels(f),
    checkDaemon(f),
    checkHook(f),
    checkClaudeIntegration(f),
  ];
}
