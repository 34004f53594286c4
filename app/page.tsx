import { redirect } from "next/navigation";
import { currentAccount } from "@/lib/auth/session";

export default async function Home() {
  const account = await currentAccount();
  redirect(account ? "/organizations" : "/login");
}
