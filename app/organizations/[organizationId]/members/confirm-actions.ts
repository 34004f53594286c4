"use server";

import { z } from "zod";
import { db } from "@/db/client";
import { currentAccount } from "@/lib/auth/session";
import { consoleMessage, DomainError } from "@/lib/errors";
import {
  confirmationSchema,
  confirmMember,
  lockMember,
  memberPublicKey,
  resendInvitation,
  sendInvitation,
} from "@/lib/members/onboarding";
import {
  accountActor,
  requireManager,
  type Membership,
} from "@/lib/organizations";

export type ConsoleResult<T = object> =
  ({ ok: true } & T) | { ok: false; error: string };

const ids = z.object({ organizationId: z.uuid(), memberId: z.uuid() });

/**
 * Every action: a signed-in, confirmed owner or admin of this organization,
 * acting on a member of this organization (anything else: not found).
 */
async function asManager<T>(
  organizationId: unknown,
  memberId: unknown,
  act: (
    manager: NonNullable<Awaited<ReturnType<typeof currentAccount>>>,
    ids: { organizationId: string; memberId: string },
    membership: Membership,
  ) => Promise<T>,
): Promise<ConsoleResult<T>> {
  try {
    const account = await currentAccount();
    if (!account) {
      return { ok: false, error: "Your session has ended. Sign in again." };
    }
    const parsed = ids.safeParse({ organizationId, memberId });
    if (!parsed.success) return { ok: false, error: "Member not found" };
    const membership = await requireManager(
      account.id,
      parsed.data.organizationId,
    );
    return { ok: true, ...(await act(account, parsed.data, membership)) };
  } catch (error) {
    return { ok: false, error: consoleMessage(error) };
  }
}

/**
 * What the manager's browser needs to confirm a member: the member's public
 * key (to show its fingerprint phrase and encrypt to) and the manager's own
 * encrypted copy of the organization key.
 */
export async function memberPublicKeyAction(
  organizationId: string,
  memberId: string,
) {
  return asManager(organizationId, memberId, async (_, ids, { member }) => {
    if (!member.organizationKey) {
      throw new DomainError(
        "forbidden",
        "Your own membership has no organization key.",
      );
    }
    return {
      publicKey: await memberPublicKey(ids.organizationId, ids.memberId),
      managerOrganizationKey: member.organizationKey,
    };
  });
}

export async function confirmMemberAction(
  organizationId: string,
  memberId: string,
  input: unknown,
) {
  return asManager(organizationId, memberId, async (manager, ids) => {
    const parsed = confirmationSchema.safeParse(input);
    if (!parsed.success) {
      throw new DomainError(
        "invalid",
        "The encrypted organization key is malformed. Reload the page and try again.",
      );
    }
    const member = await confirmMember({ ...ids, ...parsed.data, manager });
    return { email: member.email };
  });
}

export async function resendInvitationAction(
  organizationId: string,
  memberId: string,
) {
  return asManager(organizationId, memberId, (manager, ids) =>
    db().transaction(async (tx) => {
      const member = await lockMember(tx, ids.organizationId, ids.memberId);
      await resendInvitation(tx, member, accountActor(manager));
      return { email: member.email };
    }),
  );
}

export async function sendInvitationAction(
  organizationId: string,
  memberId: string,
) {
  return asManager(organizationId, memberId, (manager, ids) =>
    db().transaction(async (tx) => {
      const member = await lockMember(tx, ids.organizationId, ids.memberId);
      await sendInvitation(tx, member, accountActor(manager));
      return { email: member.email };
    }),
  );
}
