import { currentAccount } from "@/lib/auth/session";
import { eventsCsv } from "@/lib/console/events";
import { isDomainError } from "@/lib/errors";

/** The filtered Event log as CSV, streamed in keyset batches. */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ organizationId: string }> },
) {
  const { organizationId } = await params;
  const account = await currentAccount();
  if (!account) {
    return new Response("Sign in to export the event log.\n", {
      status: 401,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }

  let lines: AsyncGenerator<string>;
  try {
    lines = await eventsCsv(
      account,
      organizationId,
      Object.fromEntries(new URL(request.url).searchParams),
    );
  } catch (error) {
    // Not a manager of this organization: the same 404 as the console pages.
    if (isDomainError(error)) {
      return new Response("Not found\n", {
        status: 404,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    throw error;
  }

  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await lines.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="event-log-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
}
