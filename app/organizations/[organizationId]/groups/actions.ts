"use server";

import { revalidatePath } from "next/cache";
import { requireAccount } from "@/lib/auth/session";
import { actionResult } from "@/lib/console/action-result";
import {
  addGroupMembersByEmail,
  createGroupByAdmin,
  deleteGroupByAdmin,
  removeGroupMembersByAdmin,
  renameGroupByAdmin,
  setGroupCollectionsByAdmin,
} from "@/lib/console/groups";

const groupsPath = (organizationId: string) =>
  `/organizations/${organizationId}/groups`;

export async function createGroupAction(
  organizationId: string,
  input: unknown,
) {
  const account = await requireAccount();
  const result = await actionResult(async () => {
    const group = await createGroupByAdmin(account, organizationId, input);
    return { id: group.id, message: `Group “${group.displayName}” created.` };
  });
  revalidatePath(groupsPath(organizationId));
  return result;
}

export async function renameGroupAction(
  organizationId: string,
  groupId: string,
  input: unknown,
) {
  const account = await requireAccount();
  const result = await actionResult(async () => {
    const group = await renameGroupByAdmin(
      account,
      organizationId,
      groupId,
      input,
    );
    return `Group renamed to “${group.displayName}”.`;
  });
  revalidatePath(groupsPath(organizationId), "layout");
  return result;
}

export async function deleteGroupAction(
  organizationId: string,
  groupId: string,
) {
  const account = await requireAccount();
  const result = await actionResult(async () => {
    const group = await deleteGroupByAdmin(account, organizationId, groupId);
    return `Group “${group.displayName}” deleted.`;
  });
  revalidatePath(groupsPath(organizationId), "layout");
  return result;
}

export async function addGroupMembersAction(
  organizationId: string,
  groupId: string,
  input: unknown,
) {
  const account = await requireAccount();
  const result = await actionResult(async () => {
    const { added, alreadyIn, notMembers } = await addGroupMembersByEmail(
      account,
      organizationId,
      groupId,
      input,
    );
    const parts = [`${added} added`];
    if (alreadyIn) parts.push(`${alreadyIn} already in the group`);
    if (notMembers.length) {
      parts.push(
        `not members of the organization (invite them first): ${notMembers.slice(0, 5).join(", ")}${notMembers.length > 5 ? ` and ${notMembers.length - 5} more` : ""}`,
      );
    }
    return { added, message: `${parts.join("; ")}.` };
  });
  revalidatePath(groupsPath(organizationId), "layout");
  return result;
}

export async function removeGroupMembersAction(
  organizationId: string,
  groupId: string,
  input: unknown,
) {
  const account = await requireAccount();
  const result = await actionResult(async () => {
    const removed = await removeGroupMembersByAdmin(
      account,
      organizationId,
      groupId,
      input,
    );
    return removed === 1
      ? "Member removed from the group."
      : `${removed} members removed from the group.`;
  });
  revalidatePath(groupsPath(organizationId), "layout");
  return result;
}

export async function setGroupCollectionsAction(
  organizationId: string,
  groupId: string,
  input: unknown,
) {
  const account = await requireAccount();
  const result = await actionResult(async () => {
    await setGroupCollectionsByAdmin(account, organizationId, groupId, input);
    return "Collections saved.";
  });
  revalidatePath(groupsPath(organizationId), "layout");
  return result;
}
