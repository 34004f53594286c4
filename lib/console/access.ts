import type { Account } from "@/db/schema";
import type { Actor } from "@/lib/events";
import {
  accountActor,
  requireManager,
  type Membership,
} from "@/lib/organizations";

/** The signed-in person acting in the console, as the domain functions see them. */
export type ConsoleAccount = Pick<Account, "id" | "name" | "email">;

export interface ManagerAccess extends Membership {
  actor: Actor;
}

/**
 * Every console query and action starts here: the account must be a confirmed
 * owner or admin of the organization. Another organization's ids, or no
 * membership at all: not found; a `user` member: forbidden.
 */
export async function managerAccess(
  account: ConsoleAccount,
  organizationId: string,
): Promise<ManagerAccess> {
  const membership = await requireManager(account.id, organizationId);
  return { ...membership, actor: accountActor(account) };
}
