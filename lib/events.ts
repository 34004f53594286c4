import { events } from "@/db/schema";
import type { Executor } from "@/db/client";

/** Who made a change: a person in the console, an identity provider, or the system. */
export type Actor =
  | { type: "account"; accountId: string; label: string }
  | { type: "scim"; client: ScimClientName }
  | { type: "system" };

export type ScimClientName = "Okta" | "Entra" | "Unknown";

export function actorLabel(actor: Actor): string {
  switch (actor.type) {
    case "account":
      return actor.label;
    case "scim":
      return actor.client === "Unknown" ? "SCIM" : `SCIM (${actor.client})`;
    case "system":
      return "System";
  }
}

export interface EventInput {
  organizationId: string;
  type: string;
  actor: Actor;
  target?: { type: string; id: string; label?: string | null };
  details?: Record<string, unknown>;
}

/** Writes an event; call it on the transaction that makes the change. */
export async function recordEvent(executor: Executor, event: EventInput) {
  await executor.insert(events).values({
    organizationId: event.organizationId,
    type: event.type,
    actorType: event.actor.type,
    actorAccountId:
      event.actor.type === "account" ? event.actor.accountId : null,
    actorLabel: actorLabel(event.actor),
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    targetLabel: event.target?.label ?? null,
    details: event.details ?? null,
  });
}
