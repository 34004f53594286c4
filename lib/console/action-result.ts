import { consoleMessage, isDomainError } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";

/** What a console server action answers: its value, or an error to show. */
export type ActionResult<T = undefined> =
  { ok: true; value: T } | { ok: false; error: string };

/**
 * Runs a console action's domain function and turns its failure into the
 * console's message (lib/errors.ts), so that no action throws to the page.
 */
export async function actionResult<T>(
  run: () => Promise<T>,
): Promise<ActionResult<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (!isDomainError(error)) {
      if (isNavigation(error)) throw error;
      log.error("console action failed", errorFields(error));
    }
    return { ok: false, error: consoleMessage(error) };
  }
}

/** Next's redirect() and notFound() work by throwing; they must pass through. */
function isNavigation(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return (
    typeof digest === "string" &&
    (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR"))
  );
}
