/**
 * SIGTERM, SIGINT and SIGHUP (the terminal closed) as an AbortSignal for the length of one long-running command (the daemon, a sign-in):
 * the command stops cleanly and returns; library code never exits the process.
 */
export async function untilStopped<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Without a handler SIGHUP kills the process outright: no lock released, no state written.
  process.on('SIGHUP', onSignal);
  try {
    return await run(stop.signal);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.off('SIGHUP', onSignal);
  }
}
