const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "2 minutes ago", "just now": how the console tells when something last happened. */
export function timeAgo(then: Date, now = new Date()): string {
  const seconds = Math.max(
    0,
    Math.round((now.getTime() - then.getTime()) / 1000),
  );
  if (seconds < 45) return "just now";
  const format = new Intl.RelativeTimeFormat("en", { numeric: "always" });
  for (const [unit, size] of units) {
    if (seconds >= size)
      return format.format(-Math.round(seconds / size), unit);
  }
  return format.format(-1, "minute");
}
