import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import type { InvitationProblem } from "@/lib/members/onboarding";

export const invitationProblemTitles: Record<
  Exclude<InvitationProblem, "wrong_account">,
  string
> = {
  invalid: "This invitation link does not work",
  expired: "This invitation has expired",
  used: "This invitation was already accepted",
  revoked: "Your access was revoked",
  removed: "You are no longer a member",
};

/** Why the link does not work, and what to do about it (under its title). */
export function InvitationProblemNotice({
  problem,
  message,
  signedIn,
}: {
  problem: Exclude<InvitationProblem, "wrong_account">;
  message: string;
  signedIn: boolean;
}) {
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">{message}</p>
      {problem === "used" ? (
        <Link
          href={signedIn ? "/organizations" : "/login"}
          className={buttonClass("primary", "w-full")}
        >
          {signedIn ? "Go to your organizations" : "Sign in"}
        </Link>
      ) : (
        <p className="text-sm text-slate-500">
          An administrator of the organization can send you a new invitation
          from the Members page of the Admin Console.
        </p>
      )}
    </div>
  );
}
