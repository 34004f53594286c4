import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { emailOutbox, type OutboxEmail } from "@/db/schema";
import { errorFields, log } from "@/lib/log";
import {
  configuredTransport,
  DEFAULT_SMTP_TIMEOUTS,
  PermanentDeliveryError,
  type MailTransport,
} from "@/lib/email/transport";

/**
 * Delivers the outbox (SPEC 5). A pass claims due rows in a short
 * transaction with FOR UPDATE SKIP LOCKED and, in the same transaction,
 * pushes their next attempt past a lease; it sends after the commit, so no
 * lock is held while a mail server is slow, and no other pass (in this or
 * another process) picks a claimed row up while it is being sent.
 */

/** Attempts before a message is given up as failed: about three hours of retries. */
export const MAX_ATTEMPTS = 10;
/** Longer than any send may take (the transport's whole-message timeout). */
export const LEASE_MS = DEFAULT_SMTP_TIMEOUTS.messageMs * 5;
export const BATCH_SIZE = 10;

/** Exponential backoff: 30 s, 1 min, 2 min … at most one hour between attempts. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
}

export interface DeliveryOptions {
  transport?: MailTransport;
  /** The clock; tests move it forward instead of waiting. */
  now?: Date;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** Only this organization's emails (redelivering one organization, tests). */
  organizationId?: string;
}

export interface DeliveryPass {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
}

/** One pass over the due messages; safe to run many at once. */
export async function deliverDueEmails(
  options: DeliveryOptions = {},
): Promise<DeliveryPass> {
  const now = options.now ?? new Date();
  const claimed = await claimDueEmails(
    now,
    options.batchSize ?? BATCH_SIZE,
    options.leaseMs ?? LEASE_MS,
    options.organizationId,
  );
  const pass: DeliveryPass = {
    claimed: claimed.length,
    sent: 0,
    retrying: 0,
    failed: 0,
  };
  if (claimed.length === 0) return pass;

  const ownTransport = !options.transport;
  const transport = options.transport ?? configuredTransport();
  try {
    const outcomes = await Promise.all(
      claimed.map((email) =>
        deliver(transport, email, options.maxAttempts ?? MAX_ATTEMPTS),
      ),
    );
    for (const outcome of outcomes) pass[outcome] += 1;
  } finally {
    if (ownTransport) transport.close();
  }
  return pass;
}

async function claimDueEmails(
  now: Date,
  limit: number,
  leaseMs: number,
  organizationId: string | undefined,
) {
  return db().transaction(async (tx) => {
    const due = await tx
      .select({ id: emailOutbox.id })
      .from(emailOutbox)
      .where(
        and(
          eq(emailOutbox.status, "pending"),
          lte(emailOutbox.nextAttemptAt, now),
          organizationId
            ? eq(emailOutbox.organizationId, organizationId)
            : undefined,
        ),
      )
      .orderBy(asc(emailOutbox.nextAttemptAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];

    return tx
      .update(emailOutbox)
      .set({
        attempts: sql`${emailOutbox.attempts} + 1`,
        nextAttemptAt: new Date(now.getTime() + leaseMs),
      })
      .where(
        inArray(
          emailOutbox.id,
          due.map((row) => row.id),
        ),
      )
      .returning();
  });
}

async function deliver(
  transport: MailTransport,
  email: OutboxEmail,
  maxAttempts: number,
): Promise<"sent" | "retrying" | "failed"> {
  // Only the pass that made this attempt may record its outcome.
  const ours = and(
    eq(emailOutbox.id, email.id),
    eq(emailOutbox.attempts, email.attempts),
    eq(emailOutbox.status, "pending"),
  );

  try {
    await transport.send({
      id: email.id,
      to: email.recipient,
      subject: email.subject,
      text: email.textBody,
      html: email.htmlBody,
    });
  } catch (error) {
    const finished = new Date();
    const lastError = (
      error instanceof Error ? error.message : String(error)
    ).slice(0, 1000);
    const giveUp =
      error instanceof PermanentDeliveryError || email.attempts >= maxAttempts;
    await db()
      .update(emailOutbox)
      .set(
        giveUp
          ? { status: "failed", lastError }
          : {
              lastError,
              nextAttemptAt: new Date(
                finished.getTime() + retryDelayMs(email.attempts),
              ),
            },
      )
      .where(ours);
    const fields = {
      emailId: email.id,
      kind: email.kind,
      organizationId: email.organizationId,
      attempts: email.attempts,
      ...errorFields(error),
    };
    if (giveUp) log.error("email delivery failed for good", fields);
    else log.warn("email delivery failed; will retry", fields);
    return giveUp ? "failed" : "retrying";
  }

  const sentAt = new Date();
  await db()
    .update(emailOutbox)
    .set({ status: "sent", sentAt, lastError: null })
    .where(ours);
  log.info("email sent", {
    emailId: email.id,
    kind: email.kind,
    organizationId: email.organizationId,
    transport: transport.kind,
    attempts: email.attempts,
    queuedForMs: sentAt.getTime() - email.createdAt.getTime(),
  });
  return "sent";
}

export interface OutboxWorker {
  /** Stops starting passes and waits for the running ones. */
  stop(): Promise<void>;
}

const workerKey = Symbol.for("scim-console.outbox-worker");
const store = globalThis as { [workerKey]?: OutboxWorker };

/**
 * Starts delivering queued emails in this process, once however often it
 * is called. A new pass starts every `intervalMs` even while earlier ones
 * still wait on a slow server (up to `maxPasses` at once), so one hanging
 * message does not hold up the ones queued after it.
 */
export function startOutboxWorker({
  intervalMs = 1000,
  maxPasses = 4,
}: { intervalMs?: number; maxPasses?: number } = {}): OutboxWorker {
  if (store[workerKey]) return store[workerKey];

  const running = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  function schedule(delay: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, delay);
    timer.unref();
  }

  function tick() {
    if (stopped) return;
    if (running.size < maxPasses) {
      const pass: Promise<void> = deliverDueEmails()
        .then((result) => {
          // A full batch means more may be due: go on without waiting.
          if (result.claimed >= BATCH_SIZE) schedule(0);
        })
        .catch((error) => {
          log.warn("email delivery pass failed", errorFields(error));
        })
        .finally(() => running.delete(pass));
      running.add(pass);
    }
    schedule(intervalMs);
  }

  const worker: OutboxWorker = {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(running);
      if (store[workerKey] === worker) store[workerKey] = undefined;
    },
  };
  store[workerKey] = worker;
  log.info("outbox worker started", { intervalMs });
  schedule(0);
  return worker;
}
