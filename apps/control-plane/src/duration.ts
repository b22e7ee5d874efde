/**
 * A duration flag: `90s`, `30m`, `24h`, `7d`, or plain seconds. A typo stops the control plane
 * at start, naming the flag, rather than leaving it with tokens that never (or always) expire.
 */
export function parseDurationSeconds(flag: string, text: string): number {
  const match = /^(\d{1,9})([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'] : NaN;
  if (!(seconds >= 60 && seconds <= 30 * 86_400))
    throw new Error(`${flag}: expected a duration from 1m to 30d such as 24h, 30m or 3600 (seconds), got ${JSON.stringify(text)}`);
  return seconds;
}
