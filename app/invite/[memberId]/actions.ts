"use server";

import { currentAccount } from "@/lib/auth/session";
import { consoleMessage } from "@/lib/errors";
import { acceptInvitation } from "@/lib/members/onboarding";

export async function acceptInvitationAction(
  memberId: string,
  token: string,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const account = await currentAccount();
  if (!account) {
    return { ok: false, error: "Your session has ended. Sign in again." };
  }
  try {
    await acceptInvitation({
      memberId: String(memberId),
      token: String(token),
      account,
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, error: consoleMessage(error) };
  }
}
