/**
 * When a process started, as an opaque string that is the same for the same process and different for a
 * later process that got the same pid: Linux's /proc/<pid>/stat `starttime` (clock ticks since boot, with
 * the boot id so a reboot never matches), `ps -o lstart=` elsewhere (macOS). A lock records it next to the
 * pid, so a lock left by a crash never belongs to an unrelated process that reused the pid.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let bootId: string | undefined;

function linuxBootId(): string {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootId = '';
    }
  }
  return bootId;
}

/** undefined when the process does not exist (or its start cannot be read). */
export function processStart(pid: number, platform: string = process.platform): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const start = fields[19];
      return start && /^\d+$/.test(start) ? `linux:${linuxBootId()}:${start}` : undefined;
    } catch {
      return undefined;
    }
  }
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2_000,
      env: { PATH: '/bin:/usr/bin', LC_ALL: 'C' },
    }).trim();
    return out ? `ps:${out}` : undefined;
  } catch {
    return undefined;
  }
}

const own = new Map<string, string | undefined>();

/** This process's start, computed once. */
export function ownProcessStart(): string | undefined {
  const key = String(process.pid);
  if (!own.has(key)) own.set(key, processStart(process.pid));
  return own.get(key);
}
