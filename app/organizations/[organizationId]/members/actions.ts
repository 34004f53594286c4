"use server";

import { revalidatePath } from "next/cache";
import { actionResult } from "@/lib/console/action-result";
import {
  applyMemberAction,
  changeMemberRole,
  inviteMemberByAdmin,
} from "@/lib/console/member-actions";
import { requireAccount } from "@/lib/auth/session";

// Thin wrappers: the signed-in account, one domain function (which checks
// that the account manages the organization and the members belong to it),
// and a refresh of the Members page.

export async function memberActionAction(
  organizationId: string,
  input: unknown,
) {
  const account = await requireAccount();
  const result = await actionResult(() =>
    applyMemberAction(account, organizationId, input),
  );
  revalidatePath(`/organizations/${organizationId}/members`);
  return result;
}

export async function changeRoleAction(organizationId: string, input: unknown) {
  const account = await requireAccount();
  const result = await actionResult(async () => {
    const member = await changeMemberRole(account, organizationId, input);
    return `${member.email} now has the ${member.role} role.`;
  });
  revalidatePath(`/organizations/${organizationId}/members`);
  return result;
}

export async function inviteMemberAction(
  organizationId: string,
  input: unknown,
) {
  const account = await requireAccount();
  const result = await actionResult(async () => {
    const member = await inviteMemberByAdmin(account, organizationId, input);
    return `Invitation sent to ${member.email}.`;
  });
  revalidatePath(`/organizations/${organizationId}/members`);
  return result;
}
