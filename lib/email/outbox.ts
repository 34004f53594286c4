import { emailOutbox } from "@/db/schema";
import type { Executor } from "@/db/client";

export interface OutgoingEmail {
  organizationId: string | null;
  kind: "invitation" | "member_accepted" | "member_confirmed";
  recipient: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Queues an email on the caller's transaction: it is sent if and only if the
 * change that caused it commits. Delivery is the worker's job.
 */
export async function queueEmail(executor: Executor, email: OutgoingEmail) {
  await executor.insert(emailOutbox).values({
    organizationId: email.organizationId,
    kind: email.kind,
    recipient: email.recipient,
    subject: email.subject,
    textBody: email.text,
    htmlBody: email.html,
  });
}
