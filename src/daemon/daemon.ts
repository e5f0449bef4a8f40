/**
 * The daemon: one instance per user (a lock), watching the files that decide which SSO sessions are in use
 * and what their tokens say, planning with the pure planner, acting (refresh, notify, sign in), and
 * remembering what it did in the state file. No polling: file events, one timer at the next planned
 * moment, and one coarse tick that also notices wall-clock jumps (sleep and wake) and re-plans at once.
 * A pass only plans and starts work: each session's actions run as their own job, so a refresh stuck on
 * a silent endpoint (bounded by its deadlines anyway) never delays another session's refresh or
 * notification; a session with a job running gets no second one. Stopping aborts every job's request.
 * Library code: it never exits the process; `runDaemon` returns when the signal aborts (or after one pass).
 */

import { fileURLToPath } from 'node:url';
import { chooseSignIn } from '../aws/sign-in-choice.js';
import { requireAwsCliV2, runSsoLogin } from '../aws/sso-login.js';
import { readSsoToken } from '../aws/token-cache.js';
import { type Config, DEFAULT_CONFIG, loadConfig } from '../config/config.js';
import type { Env, Output } from '../context.js';
import { type ClockSample, clockJump } from '../core/clock-jump.js';
import { signInFailedText } from '../core/notification-text.js';
import {
  memoryFor,
  type Plan,
  plan,
  recordRetry,
  type SessionInput,
  type SessionMemory,
} from '../core/refresh-plan.js';
import { BusyError } from '../errors.js';
import { type HeldLock, tryAcquireLock } from '../fs/lock.js';
import { createLogger, type Logger } from '../log/logger.js';
import { redactStrings } from '../log/redact.js';
import { createNotifier, type Notifier } from '../notify/notifier.js';
import type { Paths } from '../platform/paths.js';
import { VERSION } from '../version.js';
import { runAction } from './actions.js';
import {
  type DaemonStateFile,
  daemonLockFile,
  type RefreshRecord,
  readDaemonStateFile,
  type SessionStatus,
  writeDaemonStateFile,
} from './daemon-state.js';
import { deviceCodeNotice } from './device-code-notice.js';
import { signInLockFile } from './login-flow.js';
import { daemonRenew, sessionEndsPass } from './renew-offer.js';
import { type DiscoveredSession, type Discovery, discoverSessions } from './sessions.js';
import { type WatchEvent, Watcher } from './watcher.js';

export const DEFAULT_TICK_MS = 30_000;
/** File events are gathered this long before acting (editors write a file in several steps). */
export const DEFAULT_DEBOUNCE_MS = 100;
/** A settings change refreshes the hook records of at most this many launch contexts at once. */
const MAX_RECORD_REFRESH = 25;
/** How long the memory of a session no longer in use is kept. */
const MEMORY_KEEP_MS = 7 * 86_400_000;
/** On stop, running jobs get this long to finish after their requests were aborted. */
const STOP_GRACE_MS = 1_200;

export interface DaemonOptions {
  env: Env;
  paths: Paths;
  /** Wall clock, ms since the epoch (a test's clock in tests). */
  now: () => number;
  /** Monotonic clock, ms (performance.now by default): the reference for clock-jump detection. */
  monotonic?: () => number;
  /** One full pass, then return. */
  once?: boolean;
  tickMs?: number;
  debounceMs?: number;
  /** Stop: the daemon cleans up and `runDaemon` returns. */
  signal?: AbortSignal;
  /** Readable log lines also go here (a terminal running `daemon` in the foreground). */
  mirror?: Output;
  notifier?: Notifier;
  platform?: string;
  logMaxBytes?: number;
  /** Told after every pass (tests and the bench wait on it). */
  onPass?: (p: Plan) => void;
}

export async function runDaemon(o: DaemonOptions): Promise<void> {
  const got = await tryAcquireLock(daemonLockFile(o.paths), 'daemon', o.now());
  if (!got.acquired) {
    const h = got.holder;
    const since = h.startedAt ? ` since ${new Date(h.startedAt).toISOString()}` : '';
    throw new BusyError(
      `another bedrock-profile daemon is already running (pid ${h.pid}${since}); leave it running, or stop it first (kill ${h.pid}) and start this one again`,
    );
  }
  const d = new Daemon(o, got.lock);
  try {
    await d.run();
  } finally {
    await d.shutdown();
  }
}

class Daemon {
  private readonly log: Logger;
  private readonly notifier: Notifier;
  private readonly mono: () => number;
  private readonly tickMs: number;
  private config: Config = { ...DEFAULT_CONFIG };
  private discovery: Discovery | undefined;
  private memory: Record<string, SessionMemory> = {};
  private lastAutoLoginAt: number | undefined;
  private lastRefresh: RefreshRecord | undefined;
  private lastPlan: Plan | undefined;
  private lastSessions: SessionInput[] = [];
  private lastWritten = '';
  private readonly startedAt: number;
  private watcher: Watcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private sample: ClockSample;
  private needDiscovery = true;
  private passing: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private signInRunning = false;
  private readonly pendingRecords = new Set<string>();
  private ticks = 0;
  /** Per session: the job carrying out its actions, while one runs. */
  private readonly jobs = new Map<string, Promise<void>>();
  /** Aborted on stop: every request and lock wait of a job ends with it. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly o: DaemonOptions,
    private readonly lock: HeldLock,
  ) {
    this.mono = o.monotonic ?? (() => performance.now());
    this.tickMs = o.tickMs ?? DEFAULT_TICK_MS;
    this.startedAt = o.now();
    this.sample = { wall: o.now(), mono: this.mono() };
    const level = o.env.BEDROCK_PROFILE_LOG_LEVEL;
    this.log = createLogger({
      file: o.paths.logFile,
      now: o.now,
      ...(o.logMaxBytes ? { maxBytes: o.logMaxBytes } : {}),
      ...(level === 'debug' || level === 'info' || level === 'warn' || level === 'error' ? { level } : {}),
      ...(o.mirror ? { mirror: o.mirror } : {}),
    });
    this.notifier = o.notifier ?? createNotifier(o.env, o.platform);
    if (o.signal?.aborted) this.stopping.abort();
    else o.signal?.addEventListener('abort', () => this.stopping.abort(), { once: true });
  }

  async run(): Promise<void> {
    this.log.info(this.o.once ? 'daemon pass (--once)' : 'daemon started', {
      version: VERSION,
      lockFile: this.lock.file,
    });
    await this.loadConfig();
    const prev = await readDaemonStateFile(this.o.paths);
    if (prev) {
      this.memory = prev.memory;
      this.lastAutoLoginAt = prev.lastAutoLoginAt;
      this.lastRefresh = prev.lastRefresh;
    }
    if (this.o.once) {
      await this.pass();
      return;
    }
    await this.discover();
    this.watcher = new Watcher(
      (e) => this.onWatch(e),
      (err) => this.log.warn('file watch error', { error: err.message }),
    );
    await this.watcher.setTargets(this.targets());
    this.log.info('watching', {
      directories: this.watcher.watchedDirs,
      sessions: this.discovery?.sessions.length ?? 0,
    });
    await this.pass();
    if (this.stopped || this.o.signal?.aborted) return;
    await new Promise<void>((resolve) => {
      this.o.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  private async loadConfig(): Promise<void> {
    try {
      this.config = await loadConfig(this.o.paths.configFile);
    } catch (err) {
      // A bad edit must not stop the daemon: keep the last good config and say why in the log.
      this.log.error('config file not applied; keeping the previous settings', {
        error: (err as Error).message,
      });
    }
  }

  private targets() {
    const p = this.o.paths;
    return {
      files: [
        p.awsConfigFile,
        p.awsCredentialsFile,
        p.configFile,
        p.knownReposFile,
        ...(this.discovery?.settingsFiles ?? []),
      ],
      dirs: [p.ssoCacheDir],
    };
  }

  private async discover(): Promise<void> {
    this.needDiscovery = false;
    const before = JSON.stringify(this.discovery?.sessions ?? null);
    this.discovery = await discoverSessions({ env: this.o.env, paths: this.o.paths, config: this.config });
    const now = JSON.stringify(this.discovery.sessions);
    if (now !== before) {
      this.log.info('sessions in use', {
        sessions: this.discovery.sessions.map((s) => ({
          session: s.key,
          kind: s.kind,
          profiles: s.profiles,
        })),
        repos: this.discovery.repos.length,
        ...(this.discovery.notSso.length ? { notSso: this.discovery.notSso } : {}),
      });
      for (const p of this.discovery.problems) this.log.warn('configuration problem', { problem: p });
    }
    if (this.watcher) await this.watcher.setTargets(this.targets());
  }

  private onWatch(e: WatchEvent): void {
    const p = this.o.paths;
    if (e.kind === 'rescan' || e.kind === 'file') {
      this.needDiscovery = true;
      if (e.path === p.configFile) void this.loadConfig().then(() => this.kick());
      const owners = this.discovery?.settingsOwners.get(e.path);
      if (owners && owners.length <= MAX_RECORD_REFRESH)
        for (const dir of owners) this.pendingRecords.add(dir);
    }
    this.kick();
  }

  /** Act soon (debounced): several events from one save become one pass. */
  private kick(): void {
    if (this.stopped) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.pass(), this.o.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }

  /** Passes never overlap; a request during a pass runs one more pass after it. */
  private pass(): Promise<void> {
    if (this.passing) {
      this.again = true;
      return this.passing;
    }
    this.passing = (async () => {
      do {
        this.again = false;
        try {
          await this.passOnce();
        } catch (err) {
          this.log.error('pass failed; trying again at the next tick', { error: (err as Error).message });
          this.schedule(undefined);
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.passing = undefined;
    });
    return this.passing;
  }

  private async readInputs(sessions: DiscoveredSession[]): Promise<SessionInput[]> {
    return Promise.all(
      sessions.map(async (s) => {
        const r = await readSsoToken(s.file);
        if (r.status !== 'ok') {
          return {
            key: s.key,
            profiles: s.profiles,
            kind: s.kind,
            token: { status: r.status, reason: r.reason },
          };
        }
        const t = r.token;
        this.log.addSecret(t.accessToken);
        this.log.addSecret(t.refreshToken);
        this.log.addSecret(t.clientSecret);
        return {
          key: s.key,
          profiles: s.profiles,
          kind: s.kind,
          token: {
            status: 'ok' as const,
            expiresAt: t.expiresAt,
            refreshable: Boolean(t.refreshToken && t.clientId && t.clientSecret),
            ...(t.registrationExpiresAt !== undefined
              ? { registrationExpiresAt: t.registrationExpiresAt }
              : {}),
          },
        };
      }),
    );
  }

  private async passOnce(): Promise<void> {
    if (this.needDiscovery || !this.discovery) await this.discover();
    await this.refreshRecords();
    const sessions = this.discovery?.sessions ?? [];
    const byKey = new Map(sessions.map((s) => [s.key, s]));
    const config = this.o.once ? { ...this.config, autoLogin: false } : this.config;
    let p: Plan | undefined;
    // A refresh outcome can call for a notification in the same pass (a rejected refresh): plan again.
    for (let round = 0; round < 3 && !this.stopped; round++) {
      const inputs = await this.readInputs(sessions);
      this.lastSessions = inputs;
      const now = this.o.now();
      for (const i of inputs) {
        const before = this.memory[i.key]?.generation;
        this.memory[i.key] = memoryFor(this.memory[i.key], i.token);
        // A new token (refreshed, or signed in again): the session's notification is no longer true.
        const after = this.memory[i.key]!.generation;
        if (before !== undefined && after !== undefined && after !== before && after > now)
          await this.notifier.close?.(i.key);
      }
      p = plan({
        sessions: inputs,
        memory: this.memory,
        config,
        now,
        ...(this.lastAutoLoginAt !== undefined ? { lastAutoLoginAt: this.lastAutoLoginAt } : {}),
        loginRunning: this.signInRunning,
      });
      if (p.actions.length === 0) break;
      const started: Promise<void>[] = [];
      const bySession = new Map<string, typeof p.actions>();
      for (const a of p.actions) bySession.set(a.key, [...(bySession.get(a.key) ?? []), a]);
      for (const [key, actions] of bySession) {
        const s = byKey.get(key);
        if (!s || this.jobs.has(key)) continue;
        started.push(this.startJob(s, actions));
      }
      // A long-running daemon plans again when a job ends (it kicks); a --once pass waits for its jobs, so
      // an outcome that calls for a notification (a rejected refresh) is acted on in the same pass.
      if (!this.o.once || started.length === 0) break;
      await Promise.all(started);
    }
    this.lastPlan = p;
    // The session's real end: note sign-ins and refusals, offer "Renew now" (src/daemon/renew-offer.ts).
    const renewAt = await sessionEndsPass({
      ...this.o,
      sessions,
      memory: this.memory,
      config: this.config,
      now: this.o.now(),
      busy: this.signInRunning,
      withAction: !this.o.once,
      notifier: this.notifier,
      log: this.log,
      onRenew: (profile, s) => this.startSignIn(profile, s, 'renew'),
    }).catch((err) => void this.log.warn('session end pass failed', { error: (err as Error).message }));
    await this.writeState();
    this.o.onPass?.(p!);
    this.schedule(renewAt && (p?.wakeAt === undefined || renewAt < p.wakeAt) ? renewAt : p?.wakeAt);
  }

  /** Run one session's actions in order, apart from the pass and from every other session. */
  private startJob(session: DiscoveredSession, actions: Plan['actions']): Promise<void> {
    const key = session.key;
    const job = (async () => {
      for (const a of actions) {
        if (this.stopping.signal.aborted) return;
        const next = await runAction(a, session, this.memory[key] ?? { notified: [] }, {
          env: this.o.env,
          paths: this.o.paths,
          now: this.o.now,
          log: this.log,
          notifier: this.notifier,
          offerSignIn: !this.o.once,
          signal: this.stopping.signal,
          ...(this.o.once
            ? {
                detachedSignIn: (profile: string) => [
                  process.execPath,
                  fileURLToPath(new URL('../../bin/bedrock-profile.js', import.meta.url)),
                  'login',
                  '--force',
                  '--profile',
                  profile,
                ],
              }
            : {}),
          startSignIn: (profile, s, why) => this.startSignIn(profile, s, why),
          onRefresh: (r) => {
            this.lastRefresh = r;
          },
        });
        // A request aborted because we are stopping is not a failure to back off from after a restart.
        if (this.stopping.signal.aborted && a.type === 'refresh') return;
        this.memory[key] = next;
      }
    })()
      .then(
        () => true,
        (err) => {
          // Backed off like a failed refresh, and no immediate pass: an action that throws must not loop.
          const error = (err as Error).message;
          this.log.error('session action failed; trying again later', { session: key, error });
          this.memory[key] = recordRetry(this.memory[key] ?? { notified: [] }, this.o.now(), error);
          return false;
        },
      )
      .then((ok) => {
        this.jobs.delete(key);
        if (!this.o.once && !this.stopped) {
          // `status` shows the outcome now, not at the next pass.
          void this.writeState();
          if (ok) this.kick();
        }
      });
    this.jobs.set(key, job);
    return job;
  }

  /** Settings of known repos changed: rewrite their hook records now, so the next prompt reads fresh ones. */
  private async refreshRecords(): Promise<void> {
    if (this.pendingRecords.size === 0) return;
    const dirs = [...this.pendingRecords];
    this.pendingRecords.clear();
    const { refreshRecord } = await import('../hook/record-store.js');
    for (const dir of dirs) {
      try {
        await refreshRecord(dir, { env: this.o.env, now: this.o.now });
        this.log.debug('hook record refreshed', { dir });
      } catch (err) {
        this.log.warn('could not refresh a hook record', { dir, error: (err as Error).message });
      }
    }
  }

  private schedule(wakeAt: number | undefined): void {
    if (this.stopped || this.o.once) return;
    clearTimeout(this.timer);
    const untilWake = wakeAt === undefined ? this.tickMs : Math.max(0, wakeAt - this.o.now());
    this.timer = setTimeout(() => void this.onTimer(), Math.min(this.tickMs, untilWake));
  }

  private async onTimer(): Promise<void> {
    const cur = { wall: this.o.now(), mono: this.mono() };
    const skew = clockJump(this.sample, cur);
    this.sample = cur;
    if (skew !== undefined) {
      this.log.info(
        `wall clock jumped by ${Math.round(skew / 1000)} s (sleep and wake, or a clock change); planning again`,
        { skewMs: skew },
      );
    }
    // The anchors are re-checked after a jump and every tenth tick: a safety net for a missed directory
    // event, kept rare because it stats every watched path (a thousand with 500 repos).
    this.ticks++;
    if (skew !== undefined || this.ticks % 10 === 0) await this.watcher?.recheck();
    await this.pass();
  }

  private startSignIn(
    profile: string,
    session: DiscoveredSession,
    why: 'action' | 'autoLogin' | 'renew',
  ): void {
    if (this.signInRunning || this.stopped) {
      this.log.info('a sign-in is already running; not starting another', { profile });
      return;
    }
    this.signInRunning = true;
    if (why === 'autoLogin') this.lastAutoLoginAt = this.o.now();
    void (async () => {
      if (why === 'renew') return daemonRenew({ ...this.o, profile, log: this.log, notifier: this.notifier });
      const got = await tryAcquireLock(
        signInLockFile(this.o.paths, session.key),
        `sign-in ${profile} (daemon)`,
        this.o.now(),
      );
      if (!got.acquired) {
        this.log.info('a sign-in for this session is already running elsewhere', {
          profile,
          pid: got.holder.pid,
        });
        return;
      }
      try {
        await requireAwsCliV2(this.o.env);
        const code = await runSsoLogin({
          profile,
          env: this.o.env,
          attached: false,
          ...deviceCodeNotice(chooseSignIn(this.o.env, this.config).method, profile, this.notifier, this.log),
          ...(this.o.signal ? { signal: this.o.signal } : {}),
        });
        if (code === 0) this.log.info('aws sso login finished', { profile, why });
        else {
          this.log.warn(`aws sso login exited with ${code}`, { profile, why });
          throw new Error(`aws sso login exited with ${code}; 'bedrock-profile logs' shows why`);
        }
      } finally {
        await got.lock.release();
      }
    })()
      .catch(async (err) => {
        const why = (err as Error).message;
        this.log.error('could not sign in', { profile, error: why });
        // Started from a notification: the answer goes where the question was, not only to the log.
        if (why === undefined || this.stopped) return;
        const text = signInFailedText(session, profile, why);
        await this.notifier.notify(text, { urgent: true, group: session.key });
      })
      .finally(() => {
        this.signInRunning = false;
        this.kick();
      });
  }

  private statusOf(): SessionStatus[] {
    const nextByKey = new Map((this.lastPlan?.sessions ?? []).map((s) => [s.key, s.next]));
    return (this.discovery?.sessions ?? []).map((s) => {
      const input = this.lastSessions.find((i) => i.key === s.key);
      const mem = this.memory[s.key];
      const next = nextByKey.get(s.key);
      const endsBecause =
        s.kind === 'legacy-sso'
          ? 'legacy'
          : (mem?.rejected?.reason ??
            (input?.token.status === 'ok' && !input.token.refreshable ? 'not-refreshable' : undefined));
      return {
        key: s.key,
        profiles: s.profiles,
        kind: s.kind,
        token: input?.token.status ?? 'missing',
        ...(input?.token.expiresAt !== undefined ? { expiresAt: input.token.expiresAt } : {}),
        ...(endsBecause ? { endsBecause } : {}),
        ...(next ? { next } : {}),
        ...(mem?.lastRefreshAt !== undefined ? { lastRefreshAt: mem.lastRefreshAt } : {}),
      };
    });
  }

  private stateWrites: Promise<void> = Promise.resolve();

  /** Writes in order: a job's write and a pass's never land out of order. */
  private writeState(stoppedAt?: number): Promise<void> {
    this.stateWrites = this.stateWrites.then(() => this.writeStateNow(stoppedAt));
    return this.stateWrites;
  }

  private async writeStateNow(stoppedAt?: number): Promise<void> {
    // Memory outlives a session briefly leaving the list (~/.aws being re-created, a repo switching back),
    // so a notification is never repeated; entries about tokens that ended a week ago are dropped.
    const keys = new Set((this.discovery?.sessions ?? []).map((s) => s.key));
    const horizon = this.o.now() - MEMORY_KEEP_MS;
    const memory = Object.fromEntries(
      Object.entries(this.memory).filter(([k, m]) => keys.has(k) || (m.generation ?? 0) > horizon),
    );
    const body: Omit<DaemonStateFile, 'updatedAt'> = {
      version: 1,
      pid: process.pid,
      startedAt: this.startedAt,
      ...(stoppedAt !== undefined ? { stoppedAt } : {}),
      ...(this.lastRefresh ? { lastRefresh: this.lastRefresh } : {}),
      sessions: this.statusOf(),
      memory,
      ...(this.lastAutoLoginAt !== undefined ? { lastAutoLoginAt: this.lastAutoLoginAt } : {}),
    };
    const text = JSON.stringify(body);
    if (text === this.lastWritten) return;
    this.lastWritten = text;
    try {
      // Error details in it come from services: redacted like the log, by value and by pattern.
      await writeDaemonStateFile(this.o.paths, redactStrings({ ...body, updatedAt: this.o.now() }));
    } catch (err) {
      this.log.warn('could not write the daemon state file', { error: (err as Error).message });
    }
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    clearTimeout(this.timer);
    clearTimeout(this.debounce);
    // Requests were aborted; whatever still runs (a notifier that does not return) is not waited for long.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([this.passing?.catch(() => {}), ...this.jobs.values()]),
      new Promise<void>((r) => {
        grace = setTimeout(r, STOP_GRACE_MS);
      }),
    ]);
    clearTimeout(grace);
    await this.watcher?.close();
    await this.writeState(this.o.once ? undefined : this.o.now());
    await this.lock.release();
    this.log.info(this.o.once ? 'pass done' : 'daemon stopped');
    this.log.close();
  }
}
