/**
 * Desktop notifications. Linux: `notify-send` (found on the PATH of the environment passed in), with a
 * "Sign in" action where the installed notify-send supports `--action`. macOS: node-notifier's
 * terminal-notifier with a "Sign in" action, falling back to `osascript` (no action) when it fails.
 * Elsewhere: node-notifier's default. Never throws: a notification that cannot be shown is reported back.
 *
 * One notification per group (the daemon's group is the SSO session): a new one replaces the one on
 * screen (notify-send `--print-id` / `--replace-id`, terminal-notifier `-group`), and `close` takes it
 * away (the server's CloseNotification over D-Bus with `gdbus`; terminal-notifier `-remove`). The body
 * is escaped for the markup servers interpret (`&`, `<`, `>`: `<a href>`, `<img>`, `<b>` never render).
 */
import { spawn } from 'node:child_process';
import type { Env } from '../context.js';
import type { NotificationText } from '../core/notification-text.js';
import { sanitizeLine } from '../core/sanitize.js';
import { withSafePath } from '../platform/tool-path.js';

export interface NotifyResult {
  delivered: boolean;
  /** Which mechanism showed it: notify-send, terminal-notifier, osascript, node-notifier. */
  via?: string;
  error?: string;
  /** Resolves true when the user clicked the sign-in action (never resolves false before the notification closes). */
  action?: Promise<boolean>;
}

export interface NotifyOptions {
  urgent?: boolean;
  signInAction?: boolean;
  /** One notification per group: this one replaces the group's previous one. */
  group?: string;
  /**
   * For a process that does not stay (`daemon --once`): the "Sign in" action runs this command from a
   * detached helper that waits for the click (Linux). argv[0] is the program; nothing goes through a shell.
   */
  detachedSignIn?: string[];
  /** With `detachedSignIn`: shown when that command fails, so a failed sign-in is never silent. */
  detachedFailure?: NotificationText;
  /** The action's words (default "Sign in"; "Renew now" for a renewal offer). */
  actionLabel?: string;
}

export interface Notifier {
  notify(text: NotificationText, opts?: NotifyOptions): Promise<NotifyResult>;
  /** Take the group's notification off the screen, if one is shown. Never throws. */
  close?(group: string): Promise<void>;
}

/** The body markup of the Desktop Notifications spec (and dunst, GNOME, KDE): shown as text, never markup. */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const APP = 'bedrock-profile';
const ACTION_KEY = 'signin';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

function run(
  cmd: string,
  args: string[],
  env: Env,
  onStdout?: (s: string) => void,
): { done: Promise<Run>; kill: () => void } {
  let child: ReturnType<typeof spawn> | undefined;
  const done = new Promise<Run>((resolve) => {
    let stdout = '';
    let stderr = '';
    try {
      // Looked up without `.` or empty PATH entries: never a repo's own notify-send.
      child = spawn(cmd, args, {
        env: withSafePath(env) as NodeJS.ProcessEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
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
  return { done, kill: () => void child?.kill('SIGTERM') };
}

/** What notify-send printed: its id (with --print-id, the first line) and whether the action was clicked. */
function parseOutput(stdout: string, withId: boolean): { id?: number; clicked: boolean } {
  const lines = stdout.split('\n').map((l) => l.trim());
  const first = withId && /^\d+$/.test(lines[0] ?? '') ? Number(lines[0]) : undefined;
  const rest = first === undefined ? lines : lines.slice(1);
  return { ...(first !== undefined ? { id: first } : {}), clicked: rest.includes(ACTION_KEY) };
}

/** notify-send's notification per group: its id and the process still waiting for its action. */
interface Shown {
  id?: number;
  kill?: () => void;
}

/** notify-send: try with an action and ids first (libnotify >= 0.7.10 waits and prints the action key). */
async function notifySend(
  text: NotificationText,
  env: Env,
  urgent: boolean,
  signIn: boolean,
  shown: Map<string, Shown>,
  group: string | undefined,
  label = 'Sign in',
): Promise<NotifyResult> {
  const body = escapeMarkup(text.message);
  const base = [`--app-name=${APP}`, `--urgency=${urgent ? 'critical' : 'normal'}`, '--', text.title, body];
  const prev = group === undefined ? undefined : shown.get(group);
  // The replaced notification's process waits for an answer that now belongs to the new one.
  prev?.kill?.();
  const ids = group === undefined ? [] : ['--print-id', ...(prev?.id ? [`--replace-id=${prev.id}`] : [])];
  const remember = (r: { id?: number }, kill?: () => void) => {
    if (group === undefined) return;
    const id = r.id ?? prev?.id;
    shown.set(group, { ...(id !== undefined ? { id } : {}), ...(kill ? { kill } : {}) });
  };
  if (signIn || ids.length > 0) {
    let clicked: (v: boolean) => void = () => {};
    const action = new Promise<boolean>((r) => (clicked = r));
    const args = [...(signIn ? [`--action=${ACTION_KEY}=${label}`, '--wait'] : []), ...ids, ...base];
    const r = run('notify-send', args, env, (out) => {
      const parsed = parseOutput(out, ids.length > 0);
      if (parsed.id !== undefined) remember(parsed, r.kill);
      if (parsed.clicked) clicked(true);
    });
    // An old notify-send rejects the options at once; a new one waits until the notification closes.
    const early = await Promise.race([
      r.done,
      new Promise<undefined>((res) => setTimeout(() => res(undefined), 1500).unref()),
    ]);
    if (early === undefined) {
      void r.done.then((res) => clicked(parseOutput(res.stdout, ids.length > 0).clicked));
      return { delivered: true, via: 'notify-send', ...(signIn ? { action } : {}) };
    }
    if (early.error) return { delivered: false, via: 'notify-send', error: `notify-send: ${early.error}` };
    if (early.code === 0) {
      const parsed = parseOutput(early.stdout, ids.length > 0);
      remember(parsed);
      clicked(parsed.clicked);
      return { delivered: true, via: 'notify-send', ...(signIn ? { action } : {}) };
    }
    if (!/action|print-id|replace-id|unknown option/i.test(early.stderr)) {
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

/**
 * The detached helper: `sh -c SCRIPT sh <notify-send args>`, the command in BP_ACTION_* variables (never in
 * the script text). A notify-send without --action shows the plain notification.
 */
const DETACHED_SCRIPT = [
  'if notify-send --help 2>&1 | grep -q -- --action; then',
  `  out=$(notify-send --action=${ACTION_KEY}='Sign in' --wait "$@") || exit 0`,
  `  case "$out" in *${ACTION_KEY}*) ;; *) exit 0 ;; esac`,
  '  set --',
  '  i=0',
  // Only our own variable names are evaluated (BP_ACTION_0, _1...): the values stay quoted.
  String.raw`  while [ "$i" -lt "$BP_ACTION_N" ]; do eval "set -- \"\$@\" \"\$BP_ACTION_$i\""; i=$((i + 1)); done`,
  // A sign-in that fails (the aws CLI missing, the browser step abandoned) says so, with the fix.
  '  "$@" </dev/null >/dev/null 2>&1 ||',
  `    exec notify-send --app-name=${APP} --urgency=critical -- "$BP_FAIL_TITLE" "$BP_FAIL_BODY"`,
  'else',
  '  exec notify-send "$@"',
  'fi',
].join('\n');

function notifyDetached(
  text: NotificationText,
  env: Env,
  urgent: boolean,
  command: string[],
  failure: NotificationText | undefined,
): NotifyResult {
  const base = [
    `--app-name=${APP}`,
    `--urgency=${urgent ? 'critical' : 'normal'}`,
    '--',
    text.title,
    escapeMarkup(text.message),
  ];
  const vars: Record<string, string> = {
    BP_ACTION_N: String(command.length),
    BP_FAIL_TITLE: sanitizeLine(failure?.title ?? 'AWS sign-in failed'),
    BP_FAIL_BODY: escapeMarkup(
      sanitizeLine(failure?.message ?? 'Sign in from a terminal: bedrock-profile login'),
    ),
  };
  for (const [i, a] of command.entries()) vars[`BP_ACTION_${i}`] = a;
  try {
    const child = spawn('sh', ['-c', DETACHED_SCRIPT, 'sh', ...base], {
      env: { ...(withSafePath(env) as NodeJS.ProcessEnv), ...vars },
      detached: true,
      stdio: 'ignore',
    });
    child.on('error', () => {});
    child.unref();
    return { delivered: true, via: 'notify-send' };
  } catch (err) {
    return { delivered: false, via: 'notify-send', error: `notify-send: ${(err as Error).message}` };
  }
}

/** Close a notification by id through the server's D-Bus interface (`gdbus` ships with GLib, as notify-send). */
async function closeNotification(id: number, env: Env): Promise<void> {
  await run(
    'gdbus',
    [
      'call',
      '--session',
      '--dest=org.freedesktop.Notifications',
      '--object-path=/org/freedesktop/Notifications',
      '--method=org.freedesktop.Notifications.CloseNotification',
      String(id),
    ],
    env,
  ).done;
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
  group?: string,
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
    // terminal-notifier -group: a notification of the same group replaces the previous one.
    if (mac && group !== undefined) options.group = group;
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
  const shown = new Map<string, Shown>();
  const linux = platform === 'linux' || platform.endsWith('bsd');
  return {
    async notify(text, opts = {}) {
      const clean = { title: sanitizeLine(text.title), message: sanitizeLine(text.message) };
      const signIn = opts.signInAction ?? false;
      if (linux && opts.detachedSignIn)
        return notifyDetached(clean, env, opts.urgent ?? false, opts.detachedSignIn, opts.detachedFailure);
      if (linux)
        return notifySend(clean, env, opts.urgent ?? false, signIn, shown, opts.group, opts.actionLabel);
      if (platform === 'darwin') {
        const r = await nodeNotifier(clean, true, signIn, opts.group, opts.actionLabel);
        if (r.delivered) return r;
        const fallback = await osascript(clean, env);
        return fallback.delivered ? fallback : { ...fallback, error: `${r.error}; ${fallback.error}` };
      }
      return nodeNotifier(clean, false, false);
    },
    async close(group) {
      try {
        if (linux) {
          const s = shown.get(group);
          shown.delete(group);
          s?.kill?.();
          if (s?.id !== undefined) await closeNotification(s.id, env);
        } else if (platform === 'darwin') {
          const mod = (await import('node-notifier')).default;
          await new Promise<void>((done) => {
            setTimeout(done, 2000).unref();
            new mod.NotificationCenter().notify({ remove: group } as never, () => done());
          });
        }
      } catch {
        // A notification that cannot be closed stays; it says what was true when it was shown.
      }
    },
  };
}
