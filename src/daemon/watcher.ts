/**
 * File watching for the daemon (chokidar, no polling). Targets are files (AWS config, settings files) and
 * directories whose entries matter (the SSO cache). Each target is watched through its nearest existing
 * directory (depth 0), so a target that does not exist yet is seen when it appears, and a directory deleted
 * and re-created (`rm -rf ~/.aws`, then `aws configure sso`) is followed: any directory event on the way to
 * a target re-anchors the watches and reports a rescan, since files may have appeared in between.
 */
import { statSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import type { FSWatcher } from 'chokidar';

export interface WatchTargets {
  files: string[];
  /** Directories whose direct entries are watched (the SSO cache). */
  dirs: string[];
}

export interface WatchEvent {
  /** The target file, or the entry in a target directory, that changed; `rescan` after re-anchoring. */
  path: string;
  kind: 'file' | 'dir-entry' | 'rescan';
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function nearestExistingDir(p: string): string {
  let d = p;
  while (!isDir(d)) {
    const up = dirname(d);
    if (up === d) return d;
    d = up;
  }
  return d;
}

function isAncestorOrSelf(a: string, b: string): boolean {
  return a === b || b.startsWith(a.endsWith(sep) ? a : a + sep);
}

export class Watcher {
  private fsw: FSWatcher | undefined;
  private targets: WatchTargets = { files: [], dirs: [] };
  private fileSet = new Set<string>();
  private dirSet = new Set<string>();
  /** Directories on the way to a target (their add/remove changes the anchors). */
  private pathDirs = new Set<string>();
  private anchors = new Set<string>();
  private reanchorTimer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly onEvent: (e: WatchEvent) => void,
    private readonly onError: (err: Error) => void = () => {},
  ) {}

  /** Replace the targets (idempotent; only the difference in watched directories is applied). */
  setTargets(t: WatchTargets): Promise<void> {
    this.targets = { files: [...new Set(t.files)], dirs: [...new Set(t.dirs)] };
    this.fileSet = new Set(this.targets.files);
    this.dirSet = new Set(this.targets.dirs);
    this.pathDirs = new Set();
    for (const p of [...this.targets.files, ...this.targets.dirs]) {
      for (let d = dirname(p); ; d = dirname(d)) {
        this.pathDirs.add(d);
        if (dirname(d) === d) break;
      }
    }
    for (const d of this.targets.dirs) this.pathDirs.add(d);
    return this.reanchor(false);
  }

  /** Number of directories watched (for the bench and the log). */
  get watchedDirs(): number {
    return this.anchors.size;
  }

  /** Re-check the anchors (the coarse tick calls this: a safety net for a missed directory event). */
  recheck(): Promise<void> {
    return this.reanchor(true);
  }

  private reanchor(announce: boolean): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.closed) return;
      const want = new Set<string>();
      for (const f of this.targets.files) want.add(nearestExistingDir(dirname(f)));
      for (const d of this.targets.dirs) want.add(nearestExistingDir(d));
      const add = [...want].filter((d) => !this.anchors.has(d));
      const remove = [...this.anchors].filter((d) => !want.has(d));
      this.anchors = want;
      if (!this.fsw || remove.length > 0) {
        // One chokidar instance for every anchor (hundreds of repos cost little); dropping an anchor rebuilds
        // it, which is rare (a directory appeared or vanished) and avoids unwatch() corner cases.
        await this.fsw?.close();
        const { watch } = await import('chokidar');
        const w = watch([...want], {
          ignoreInitial: true,
          depth: 0,
          persistent: true,
          ignored: (p: string) => !this.interesting(p),
        });
        w.on('all', (event, p) => this.handle(event, p));
        w.on('error', (err) => this.onError(err as Error));
        this.fsw = w;
        await new Promise<void>((r) => w.once('ready', () => r()));
      } else if (add.length > 0) {
        const w = this.fsw;
        w.add(add);
        // add() has no promise; its directories are read asynchronously. Give them the same chance as ready.
        await new Promise<void>((r) => setTimeout(r, 50));
      }
      if (announce && (add.length || remove.length)) this.onEvent({ path: '', kind: 'rescan' });
    });
    return this.chain;
  }

  /** Paths chokidar should look at: anchors, directories on the way to targets, targets, cache entries. */
  private interesting(p: string): boolean {
    if (this.anchors.has(p) || this.fileSet.has(p) || this.pathDirs.has(p) || this.dirSet.has(p)) return true;
    return this.dirSet.has(dirname(p));
  }

  private handle(event: string, p: string): void {
    if (event === 'addDir' || event === 'unlinkDir') {
      if ([...this.pathDirs].some((d) => isAncestorOrSelf(p, d)) || this.anchors.has(p))
        this.scheduleReanchor();
      return;
    }
    if (this.fileSet.has(p)) this.onEvent({ path: p, kind: 'file' });
    else if (this.dirSet.has(dirname(p))) this.onEvent({ path: p, kind: 'dir-entry' });
  }

  private scheduleReanchor(): void {
    clearTimeout(this.reanchorTimer);
    this.reanchorTimer = setTimeout(() => void this.reanchor(true), 50);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reanchorTimer);
    await this.chain.catch(() => {});
    await this.fsw?.close();
    this.fsw = undefined;
  }
}
