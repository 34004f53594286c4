"use server";

import { revalidatePath } from "next/cache";
import { requireAccount } from "@/lib/auth/session";
import { actionResult } from "@/lib/console/action-result";
import {
  revealScimKeyWithPassword,
  rotateScimKeyWithPassword,
  saveScimSettings,
} from "@/lib/console/scim-settings";

export async function saveScimSettingsAction(
  organizationId: string,
  input: unknown,
) {
  const account = await requireAccount();
  const result = await actionResult(async () => {
    await saveScimSettings(account, organizationId, input);
    return "SCIM settings saved";
  });
  revalidatePath(`/organizations/${organizationId}/settings/scim`);
  return result;
}

/** authHash: derived in the browser from the re-entered master password. */
export async function revealScimKeyAction(
  organizationId: string,
  authHash: unknown,
) {
  const account = await requireAccount();
  return actionResult(() =>
    revealScimKeyWithPassword(account, organizationId, authHash),
  );
}

export async function rotateScimKeyAction(
  organizationId: string,
  authHash: unknown,
) {
  const account = await requireAccount();
  const result = await actionResult(() =>
    rotateScimKeyWithPassword(account, organizationId, authHash),
  );
  revalidatePath(`/organizations/${organizationId}/settings/scim`);
  return result;
}
