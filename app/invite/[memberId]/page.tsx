import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { LoginForm } from "@/components/auth/login-form";
import { SignupForm } from "@/components/auth/signup-form";
import { AcceptButton } from "@/components/invite/accept-button";
import { Fingerprint } from "@/components/invite/fingerprint";
import {
  InvitationProblemNotice,
  invitationProblemTitles,
} from "@/components/invite/invitation-problem";
import { SwitchAccountButton } from "@/components/invite/switch-account-button";
import { buttonClass } from "@/components/ui/button";
import { findAccountByEmail } from "@/lib/accounts";
import { currentAccount } from "@/lib/auth/session";
import { fingerprintPhrase, normalizeEmail } from "@/lib/crypto";
import {
  acceptedMembership,
  InvitationError,
  inspectInvitation,
  type InvitationView,
} from "@/lib/members/onboarding";

export const metadata: Metadata = { title: "Invitation" };

type SearchParams = Promise<{ token?: string | string[]; mode?: string }>;

export default async function InvitePage({
  params,
  searchParams,
}: {
  params: Promise<{ memberId: string }>;
  searchParams: SearchParams;
}) {
  const { memberId } = await params;
  const query = await searchParams;
  const token = typeof query.token === "string" ? query.token : undefined;
  const here = `/invite/${encodeURIComponent(memberId)}?token=${encodeURIComponent(token ?? "")}`;
  const account = await currentAccount();

  let invitation: InvitationView;
  try {
    invitation = await inspectInvitation(memberId, token);
  } catch (error) {
    if (!(error instanceof InvitationError)) throw error;
    // The person who accepted comes back through the same link.
    const joined =
      account && error.problem === "used"
        ? await acceptedMembership(memberId, account.id)
        : undefined;
    if (joined) {
      return (
        <Accepted
          organization={joined.organization}
          confirmed={joined.member.status === "confirmed"}
          phrase={await fingerprintPhrase(account!.publicKey)}
        />
      );
    }
    const problem =
      error.problem === "wrong_account" ? "invalid" : error.problem;
    return (
      <AuthCard title={invitationProblemTitles[problem]}>
        <InvitationProblemNotice
          problem={problem}
          message={error.message}
          signedIn={Boolean(account)}
        />
      </AuthCard>
    );
  }

  const title = `Join ${invitation.organization.name}`;
  const invited = (
    <>
      You were invited as{" "}
      <strong className="font-semibold break-words text-slate-900">
        {invitation.email}
      </strong>
      .
    </>
  );

  if (!account) {
    const hasAccount = Boolean(await findAccountByEmail(invitation.email));
    const signIn =
      query.mode === "signin" || (hasAccount && query.mode !== "signup");
    return (
      <AuthCard
        title={title}
        subtitle={
          <>
            {invited}{" "}
            {signIn
              ? "Sign in with that address to accept."
              : "Create your account with that address to accept."}
          </>
        }
      >
        {signIn ? (
          <LoginForm
            email={invitation.email}
            next={here}
            signUpHref={`${here}&mode=signup`}
          />
        ) : (
          <SignupForm
            email={invitation.email}
            next={here}
            signInHref={`${here}&mode=signin`}
          />
        )}
      </AuthCard>
    );
  }

  if (normalizeEmail(account.email) !== invitation.email) {
    return (
      <AuthCard title="This invitation is for someone else" subtitle={invited}>
        <div className="space-y-4">
          <p className="text-sm text-slate-700">
            You are signed in as{" "}
            <strong className="font-semibold break-words">
              {account.email}
            </strong>
            . An invitation can only be accepted with the address it was sent
            to. Sign out, then sign in or create an account with{" "}
            <span className="break-words">{invitation.email}</span>.
          </p>
          <SwitchAccountButton />
          <Link
            href="/organizations"
            className={buttonClass("ghost", "w-full")}
          >
            Stay signed in as {account.email}
          </Link>
        </div>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={title} subtitle={invited}>
      <div className="space-y-4">
        <p className="text-sm text-slate-700">
          Accepting adds your account to {invitation.organization.name}. An
          administrator then confirms you, and you can open the
          organization&rsquo;s vault.
        </p>
        <AcceptButton memberId={memberId} token={token!} />
      </div>
    </AuthCard>
  );
}

function Accepted({
  organization,
  confirmed,
  phrase,
}: {
  organization: { id: string; name: string };
  confirmed: boolean;
  phrase: string[];
}) {
  if (confirmed) {
    return (
      <AuthCard title={`You are a member of ${organization.name}`}>
        <Link
          href={`/organizations/${organization.id}/vault`}
          className={buttonClass("primary", "w-full")}
        >
          Open the vault
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Invitation accepted">
      <div className="space-y-4 text-sm text-slate-700">
        <p>
          An administrator of {organization.name} must now confirm you before
          you can open the vault. You will get an email when they have.
        </p>
        <p>
          They may ask for your fingerprint phrase, to check that they give
          access to your key and nobody else&rsquo;s:
        </p>
        <Fingerprint phrase={phrase} />
        <p className="text-slate-500">
          Only read it to them over a channel you trust, such as a call.
        </p>
        <Link
          href={`/organizations/${organization.id}/vault`}
          className={buttonClass("secondary", "w-full")}
        >
          Go to {organization.name}
        </Link>
      </div>
    </AuthCard>
  );
}
