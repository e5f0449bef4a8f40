/**
 * A daemon sign-in with the device code: nobody watches the CLI's output, so the verification URL and code
 * go into a notification, once. The code is never logged.
 */
import { deviceCodePrompt, type SignInMethod } from '../core/sign-in-method.js';
import type { Logger } from '../log/logger.js';
import type { Notifier } from '../notify/notifier.js';

/**
 * The daemon's `aws sso login` options for the method: with the device code nobody sees the CLI's output,
 * so the URL and code go into a notification (once). The code is not logged.
 */
export function deviceCodeNotice(
  method: SignInMethod,
  profile: string,
  notifier: Notifier,
  log: Logger,
): { method: SignInMethod; onOutput?: (text: string) => void } {
  if (method !== 'device-code') return { method };
  let seen = '';
  let shown = false;
  return {
    method,
    onOutput: (text) => {
      if (shown) return;
      seen = (seen + text).slice(-8192);
      const p = deviceCodePrompt(seen);
      if (!p) return;
      shown = true;
      void notifier
        .notify(
          {
            title: `AWS sign-in for ${profile}: code ${p.code}`,
            message: `Open ${p.url} on any device and enter the code ${p.code} (no local browser can finish this sign-in).`,
          },
          { urgent: true },
        )
        .then((r) =>
          log.info(r.delivered ? 'device code shown in a notification' : 'could not show the device code', {
            profile,
          }),
        );
    },
  };
}
