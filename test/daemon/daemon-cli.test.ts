/** `bedrock-profile daemon` as launchd/systemd run it: a real process, signals, a second instance, --once. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readDaemonState } from '../../src/daemon/daemon-state.js';
import { BIN, runCli } from '../support/run-cli.js';
import { MIN, makeWorld, until, type World } from './support/harness.js';

let w: World | undefined;
afterEach(async () => {
  await w?.cleanup();
  w = undefined;
});

describe('daemon command', () => {
  it('runs in the foreground; a second instance exits 5 naming the first pid; SIGTERM stops it cleanly (exit 0)', async () => {
    w = await makeWorld({ clockStart: Date.now() });
    w.signIn(50 * MIN);
    const child = spawn(process.execPath, [BIN, 'daemon'], { env: w.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    await until(
      () => existsSync(w!.paths.daemonStateFile),
      20_000,
      'the daemon to start and write its state',
    );
    const st = await readDaemonState(w.paths);
    expect(st).toMatchObject({ running: true, pid: child.pid });
    expect(st.sessions[0]).toMatchObject({ key: 'corp', token: 'ok', next: { action: 'refresh' } });

    // `status` shows the daemon block.
    const status = await runCli(['status', '--json'], { env: w.env });
    expect(JSON.parse(status.stdout).daemon).toMatchObject({
      running: true,
      pid: child.pid,
      sessions: [
        { name: 'corp (dev)', lastRefresh: null, nextAction: expect.stringMatching(/^refresh at \d{4}-/) },
      ],
    });
    expect((await runCli(['status'], { env: w.env })).stdout).toMatch(
      /daemon\s+running \(pid \d+\)\n\s+corp \(dev\): last refresh never; next: refresh \d{4}-\d\d-\d\d \d\d:\d\d UTC\n/,
    );

    const second = await runCli(['daemon'], { env: w.env });
    expect(second.code).toBe(5);
    expect(second.stderr).toContain(`another bedrock-profile daemon is already running (pid ${child.pid}`);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect((await readDaemonState(w.paths)).running).toBe(false);
    expect(JSON.parse((await runCli(['status', '--json'], { env: w.env })).stdout).daemon).toEqual({
      running: false,
      pid: null,
      refused: [],
      sessions: [],
    });
    expect(w.logText()).toContain('daemon stopped');
  });

  it('--once: one pass that refreshes what is due, then exit 0', async () => {
    w = await makeWorld({ clockStart: Date.now() });
    const t = w.signIn(10 * MIN);
    const r = await runCli(['daemon', '--once'], { env: w.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(w.corpFile, 'utf8')).accessToken).not.toBe(t.accessToken);
    expect(existsSync(w.paths.daemonStateFile)).toBe(true);
    expect((await readDaemonState(w.paths)).lastRefresh).toMatchObject({
      outcome: 'refreshed',
      profile: 'dev',
    });
  });

  it('an invalid config file does not stop the daemon: the log names the key', async () => {
    w = await makeWorld({ clockStart: Date.now() });
    w.home.write(`${w.env.XDG_CONFIG_HOME}/bedrock-profile/config.json`, { refreshBefore: 'soon' });
    const r = await runCli(['daemon', '--once'], { env: w.env });
    expect(r.code).toBe(0);
    expect(w.logText()).toMatch(/refreshBefore: must be a duration.*config file not applied/);
  });
});
