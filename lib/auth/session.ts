import { redirect } from "next/navigation";
import { cache } from "react";
import { findAccount } from "@/lib/accounts";
import { auth } from "@/lib/auth/config";

/** The signed-in account, read once per request. */
export const currentAccount = cache(async () => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return undefined;
  return findAccount(id);
});

export async function requireAccount() {
  const account = await currentAccount();
  if (!account) redirect("/login");
  return account;
}
