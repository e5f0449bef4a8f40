/**
 * Sleep/wake and clock changes: between two ticks, the wall clock and the monotonic clock should advance
 * by the same amount. The monotonic clock stops while the machine sleeps (Linux CLOCK_MONOTONIC, macOS
 * mach_absolute_time) and ignores clock changes; so a difference means the wall clock jumped. Pure.
 */
export interface ClockSample {
  /** Wall clock, ms since the epoch. */
  wall: number;
  /** Monotonic clock, ms (performance.now()). */
  mono: number;
}

/** Below this a difference is timer jitter or NTP slewing, not a jump. */
export const CLOCK_JUMP_TOLERANCE_MS = 5_000;

export function clockJump(
  prev: ClockSample,
  cur: ClockSample,
  toleranceMs = CLOCK_JUMP_TOLERANCE_MS,
): number | undefined {
  const skew = cur.wall - prev.wall - (cur.mono - prev.mono);
  return Math.abs(skew) > toleranceMs ? skew : undefined;
}
