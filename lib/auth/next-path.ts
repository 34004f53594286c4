/** Only same-site paths may follow a sign-in, never another origin. */
export function safeNextPath(
  next: string | undefined,
  fallback = "/organizations",
) {
  if (
    !next ||
    !next.startsWith("/") ||
    next.startsWith("//") ||
    next.includes("\\")
  ) {
    return fallback;
  }
  return next;
}
