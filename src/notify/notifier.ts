/**
 * Desktop notifications. Linux: `notify-send` (found on the PATH of the environment passed in), with a
 * "Sign in" action where the installed notify-send supports `--action`. macOS: node-notifier's
 * terminal-notifier with a "Sign in" action, falling back to `osascript` (no action) when it fails.
 * Elsewhere: node-notifier's default. Never throws: a notification that cannot be shown is reported back.
 */
import { spawn } from 'node:child_process';
import type { Env } from '../context.js';
import type { NotificationText } from '../core/notification-text.js';
import { sanitizeLine } from '../core/sanitize.js';

export interface NotifyResult {
  delivered: boolean;
  /** Which mechanism showed it: notify-send, terminal-notifier, osascript, node-notifier. */
  via?: string;
  error?: string;
  /** Resolves true when the user clicked the sign-in action (never resolves false before the notification closes). */
  action?: Promise<boolean>;
}

export interface Notifier {
  notify(
    text: NotificationText,
    /** `actionLabel`: the action's words (default "Sign in"; "Renew now" for a renewal offer). */
    opts?: { urgent?: boolean; signInAction?: boolean; actionLabel?: string },
  ): Promise<NotifyResult>;
}

const APP = 'bedrock-profile';
const ACTION_KEY = 'signin';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

function run(cmd: string, args: string[], env: Env, onStdout?: (s: string) => void): { done: Promise<Run> } {
  const done = new Promise<Run>((resolve) => {
    let stdout = '';
    let stderr = '';
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(cmd, args, { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ code: null, stdout, stderr, error: (err as Error).message });
      return;
    }
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      onStdout?.(stdout);
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) =>
      resolve({ code: null, stdout, stderr, error: (err as NodeJS.ErrnoException).code ?? err.message }),
    );
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { done };
}

/** notify-send: try with an action first (libnotify >= 0.7.10 waits and prints the action key). */
async function notifySend(
  text: NotificationText,
  env: Env,
  urgent: boolean,
  signIn: boolean,
  label = 'Sign in',
): Promise<NotifyResult> {
  const base = [
    `--app-name=${APP}`,
    `--urgency=${urgent ? 'critical' : 'normal'}`,
    '--',
    text.title,
    text.message,
  ];
  if (signIn) {
    let clicked: (v: boolean) => void = () => {};
    const action = new Promise<boolean>((r) => (clicked = r));
    const withAction = [`--action=${ACTION_KEY}=${label}`, '--wait', ...base];
    const r = run('notify-send', withAction, env, (out) => {
      if (out.split('\n').some((l) => l.trim() === ACTION_KEY)) clicked(true);
    });
    // An old notify-send rejects --action at once; a new one waits until the notification closes.
    const early = await Promise.race([
      r.done,
      new Promise<undefined>((res) => setTimeout(() => res(undefined), 1500).unref()),
    ]);
    if (early === undefined) {
      void r.done.then((res) => clicked(res.stdout.split('\n').some((l) => l.trim() === ACTION_KEY)));
      return { delivered: true, via: 'notify-send', action };
    }
    if (early.error) return { delivered: false, via: 'notify-send', error: `notify-send: ${early.error}` };
    if (early.code === 0) {
      clicked(early.stdout.split('\n').some((l) => l.trim() === ACTION_KEY));
      return { delivered: true, via: 'notify-send', action };
    }
    if (!/action|unknown option/i.test(early.stderr)) {
      return {
        delivered: false,
        via: 'notify-send',
        error: `notify-send exited ${early.code}: ${sanitizeLine(early.stderr.trim())}`,
      };
    }
  }
  const r = await run('notify-send', base, env).done;
  if (r.error) return { delivered: false, via: 'notify-send', error: `notify-send: ${r.error}` };
  if (r.code !== 0)
    return {
      delivered: false,
      via: 'notify-send',
      error: `notify-send exited ${r.code}: ${sanitizeLine(r.stderr.trim())}`,
    };
  return { delivered: true, via: 'notify-send' };
}

async function osascript(text: NotificationText, env: Env): Promise<NotifyResult> {
  // Pass the strings as arguments, never inside the script: no quoting to get wrong.
  const r = await run(
    'osascript',
    [
      '-e',
      'on run argv',
      '-e',
      'display notification (item 2 of argv) with title (item 1 of argv)',
      '-e',
      'end run',
      text.title,
      text.message,
    ],
    env,
  ).done;
  if (r.error || r.code !== 0)
    return {
      delivered: false,
      via: 'osascript',
      error: `osascript: ${r.error ?? sanitizeLine(r.stderr.trim())}`,
    };
  return { delivered: true, via: 'osascript' };
}

async function nodeNotifier(
  text: NotificationText,
  mac: boolean,
  signIn: boolean,
  label = 'Sign in',
): Promise<NotifyResult> {
  const mod = (await import('node-notifier')).default;
  return new Promise((resolve) => {
    let clicked: (v: boolean) => void = () => {};
    const action = new Promise<boolean>((r) => (clicked = r));
    let answered = false;
    const options: Record<string, unknown> = {
      title: text.title,
      message: text.message,
      wait: signIn && mac,
    };
    if (mac && signIn) {
      options.actions = label;
      options.closeLabel = 'Later';
    }
    const notifier = mac ? new mod.NotificationCenter() : mod;
    (notifier as typeof mod).notify(options, (err, response, metadata) => {
      if (err) {
        if (!answered)
          resolve({
            delivered: false,
            via: mac ? 'terminal-notifier' : 'node-notifier',
            error: String(err.message ?? err),
          });
        answered = true;
        clicked(false);
        return;
      }
      const value = (metadata as { activationValue?: string } | undefined)?.activationValue;
      clicked(value === label || response === 'activate');
    });
    // terminal-notifier with wait: the callback comes when the user acts; consider it shown after a moment.
    setTimeout(() => {
      if (!answered) {
        answered = true;
        resolve({ delivered: true, via: mac ? 'terminal-notifier' : 'node-notifier', action });
      }
    }, 1000).unref();
  });
}

export function createNotifier(env: Env, platform: string = process.platform): Notifier {
  return {
    async notify(text, opts = {}) {
      const clean = { title: sanitizeLine(text.title), message: sanitizeLine(text.message) };
      const signIn = opts.signInAction ?? false;
      if (platform === 'linux' || platform.endsWith('bsd'))
        return notifySend(clean, env, opts.urgent ?? false, signIn, opts.actionLabel);
      if (platform === 'darwin') {
        const r = await nodeNotifier(clean, true, signIn, opts.actionLabel);
        if (r.delivered) return r;
        const fallback = await osascript(clean, env);
        return fallback.delivered ? fallback : { ...fallback, error: `${r.error}; ${fallback.error}` };
      }
      return nodeNotifier(clean, false, false);
    },
  };
}
