/**
 * Is a program on PATH, and which version: `claude --version`, `aws --version`, with a short timeout.
 * Starting the AWS CLI costs about half a second (Python), more than the whole doctor budget, so the
 * answer is cached per binary: keyed on its resolved path, size and mtime, so an upgrade, a reinstall or
 * another binary first on PATH is probed again. The cache holds versions only.
 */
import { execFile } from 'node:child_process';
import { constants, promises as fsp } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { Env } from '../context.js';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { ownedDir, readOwnedTextFile } from '../fs/owned-dir.js';
import { withSafePath } from '../platform/tool-path.js';
import type { ToolProbe } from './facts.js';

export async function findOnPath(name: string, env: Env): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    // Only absolute entries: `.` or an empty entry would run a repo's own `claude` or `aws`.
    if (!isAbsolute(dir)) continue;
    const file = join(dir, name);
    try {
      const st = await fsp.stat(file);
      if (!st.isFile()) continue;
      await fsp.access(file, constants.X_OK);
      return file;
    } catch {
      // Not here; keep looking, as the shell does.
    }
  }
  return undefined;
}

function run(file: string, args: string[], env: Env, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        env: withSafePath(env) as NodeJS.ProcessEnv,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024,
      },
      (err, stdout, stderr) => {
        // aws v1 prints its version on stderr on some Pythons; take both.
        const out = `${stdout}\n${stderr}`.trim();
        if (err) {
          const e = err as NodeJS.ErrnoException & { killed?: boolean };
          reject(
            new Error(
              e.killed
                ? `no answer within ${timeoutMs} ms`
                : `exit ${e.code ?? '?'}${out ? `: ${out.split('\n')[0]}` : ''}`,
            ),
          );
        } else resolve(out);
      },
    );
  });
}

interface CacheFile {
  version: 1;
  entries: Record<string, { version: string }>;
}

async function readCache(file: string): Promise<CacheFile> {
  try {
    const text = await readOwnedTextFile(file, dirname(file));
    const data = text ? (JSON.parse(text) as CacheFile) : undefined;
    if (data?.version === 1 && data.entries && typeof data.entries === 'object') return data;
  } catch {
    // A damaged cache is only a slower doctor: probe again and rewrite it.
  }
  return { version: 1, entries: {} };
}

/**
 * A guard against a hung program, not a speed limit: a cold `aws --version` on a loaded 2-core machine
 * was seen to take over 4 s. Paid once per binary (the answer is cached).
 */
export const PROBE_TIMEOUT_MS = 10_000;

export interface ProbeSpec {
  name: string;
  args: string[];
  /** Extracts the version from the output. */
  version: RegExp;
}

async function probeOne(
  spec: ProbeSpec,
  env: Env,
  cache: CacheFile,
  timeoutMs: number,
): Promise<{ probe: ToolProbe; entry?: [string, string] }> {
  const found = await findOnPath(spec.name, env);
  if (!found) return { probe: { found: false } };
  let key: string | undefined;
  try {
    const real = await fsp.realpath(found);
    const st = await fsp.stat(real);
    key = `${spec.name}:${real}:${st.size}:${Math.trunc(st.mtimeMs)}`;
  } catch {
    key = undefined;
  }
  const hit = key ? cache.entries[key] : undefined;
  if (hit) return { probe: { found: true, path: found, version: hit.version } };
  try {
    const out = await run(found, spec.args, env, timeoutMs);
    const version = spec.version.exec(out)?.[1];
    if (!version) return { probe: { found: true, path: found, error: out.split('\n')[0] || 'no output' } };
    const probe: ToolProbe = { found: true, path: found, version };
    return key ? { probe, entry: [key, version] } : { probe };
  } catch (err) {
    return { probe: { found: true, path: found, error: (err as Error).message } };
  }
}

/**
 * Probe several tools in parallel; the cache is read once and written once (two writers of one file
 * would each drop the other's entry).
 */
export async function probeTools(
  specs: readonly ProbeSpec[],
  env: Env,
  cacheFile: string,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<ToolProbe[]> {
  const cache = await readCache(cacheFile);
  const results = await Promise.all(specs.map((spec) => probeOne(spec, env, cache, timeoutMs)));
  const fresh = results.flatMap((r) => (r.entry ? [r.entry] : []));
  if (fresh.length > 0) {
    const entries = { ...cache.entries };
    for (const [key, version] of fresh) {
      // Drop older answers for the same binary (an upgrade in place): the file does not grow.
      const binary = key.slice(0, key.lastIndexOf(':', key.lastIndexOf(':') - 1) + 1);
      for (const old of Object.keys(entries)) if (old.startsWith(binary)) delete entries[old];
      entries[key] = { version };
    }
    // A cache we cannot write only makes the next doctor slower.
    await ownedDir(dirname(cacheFile), { create: true })
      .then(() => atomicWriteFile(cacheFile, `${JSON.stringify({ version: 1, entries }, null, 1)}\n`, {}))
      .catch(() => {});
  }
  return results.map((r) => r.probe);
}

export const CLAUDE_PROBE: ProbeSpec = { name: 'claude', args: ['--version'], version: /(\d+\.\d+\.\d+)/ };
export const AWS_PROBE: ProbeSpec = { name: 'aws', args: ['--version'], version: /aws-cli\/(\d+\.\d+\.\d+)/ };
