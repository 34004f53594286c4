"use server";

import { z } from "zod";
import { requireAccount } from "@/lib/auth/session";
import { consoleMessage } from "@/lib/errors";
import { createOrganization, newOrganizationSchema } from "@/lib/organizations";

export async function createOrganizationAction(
  input: unknown,
): Promise<
  { ok: true; organizationId: string } | { ok: false; error: string }
> {
  const account = await requireAccount();
  const parsed = newOrganizationSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, error: z.prettifyError(parsed.error) };

  try {
    const { organization } = await createOrganization(account, parsed.data);
    return { ok: true, organizationId: organization.id };
  } catch (error) {
    return { ok: false, error: consoleMessage(error) };
  }
}
