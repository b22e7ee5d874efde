/** What a duration flag accepts, in seconds; the default is the token lifetimes' 1m to 30d. */
export interface DurationBounds {
  min: number;
  max: number;
}

const TOKEN_BOUNDS: DurationBounds = { min: 60, max: 30 * 86_400 };

const spelled = (seconds: number) => (seconds % 86_400 === 0 ? `${seconds / 86_400}d` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`);

/**
 * A duration flag: `90s`, `30m`, `24h`, `7d`, or plain seconds. A typo stops the control plane
 * at start, naming the flag, rather than leaving it with tokens that never (or always) expire.
 */
export function parseDurationSeconds(flag: string, text: string, bounds: DurationBounds = TOKEN_BOUNDS): number {
  const match = /^(\d{1,9})([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'] : NaN;
  if (!(seconds >= bounds.min && seconds <= bounds.max))
    throw new Error(
      `${flag}: expected a duration from ${spelled(bounds.min)} to ${spelled(bounds.max)} such as 24h, 30m or 3600 (seconds), got ${JSON.stringify(text)}`,
    );
  return seconds;
}
