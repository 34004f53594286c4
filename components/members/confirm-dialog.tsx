"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import {
  confirmMemberAction,
  memberPublicKeyAction,
} from "@/app/organizations/[organizationId]/members/confirm-actions";
import { Fingerprint } from "@/components/invite/fingerprint";
import { LockedError } from "@/components/keys/key-store";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { openOrganizationKeyOnce } from "@/components/vault/organization-key";
import { encryptToPublicKey, fingerprintPhrase } from "@/lib/crypto";

export interface ConfirmableMember {
  id: string;
  email: string;
  name?: string | null;
}

type Step =
  | { step: "closed" }
  | { step: "loading" }
  | {
      step: "compare";
      publicKey: string;
      managerOrganizationKey: string;
      phrase: string[];
    }
  | { step: "failed"; error: string };

/**
 * Encrypts the organization key, opened here with the manager's own private
 * key, to the member's public key, and sends only that ciphertext.
 */
async function encryptAndConfirm(
  organizationId: string,
  memberId: string,
  publicKey: string,
  managerOrganizationKey: string,
): Promise<string | undefined> {
  let organizationKey: Uint8Array<ArrayBuffer>;
  try {
    organizationKey = await openOrganizationKeyOnce(managerOrganizationKey);
  } catch (error) {
    return error instanceof LockedError
      ? error.message
      : "Your copy of the organization key does not open with your account key.";
  }
  const result = await confirmMemberAction(organizationId, memberId, {
    encryptedOrganizationKey: await encryptToPublicKey(
      organizationKey,
      publicKey,
    ),
    publicKey,
  });
  return result.ok ? undefined : result.error;
}

/**
 * The Confirm action for a member who needs confirmation: shows the
 * fingerprint phrase of the member's public key, computed in this browser
 * from the key it will encrypt to, so the administrator can compare it with
 * the words on the member's account page first.
 */
export function ConfirmDialog({
  organizationId,
  member,
  onConfirmed,
}: {
  organizationId: string;
  member: ConfirmableMember;
  /** Called with a message after confirming; by default the page is refreshed. */
  onConfirmed?: (message: string) => void;
}) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, setState] = useState<Step>({ step: "closed" });
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const who = member.name || member.email;
  const headingId = `confirm-${member.id}-heading`;

  async function open() {
    setError(undefined);
    setState({ step: "loading" });
    dialog.current?.showModal();
    try {
      const result = await memberPublicKeyAction(organizationId, member.id);
      if (!result.ok) {
        setState({ step: "failed", error: result.error });
        return;
      }
      setState({
        step: "compare",
        publicKey: result.publicKey,
        managerOrganizationKey: result.managerOrganizationKey,
        phrase: await fingerprintPhrase(result.publicKey),
      });
    } catch {
      setState({
        step: "failed",
        error: "Fetching the member's key failed. Check your connection.",
      });
    }
  }

  function close() {
    dialog.current?.close();
    setState({ step: "closed" });
  }

  async function confirm() {
    if (state.step !== "compare") return;
    setPending(true);
    setError(undefined);
    try {
      const problem = await encryptAndConfirm(
        organizationId,
        member.id,
        state.publicKey,
        state.managerOrganizationKey,
      );
      if (problem) {
        setError(problem);
        return;
      }
      close();
      const message = `${member.email} is confirmed and can now open the vault.`;
      if (onConfirmed) onConfirmed(message);
      else router.refresh();
    } catch {
      setError("Confirming failed. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <Button
        variant="secondary"
        className="px-2.5 py-1 text-xs"
        aria-haspopup="dialog"
        onClick={open}
      >
        Confirm
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={headingId}
        onClose={() => setState({ step: "closed" })}
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl text-left font-normal whitespace-normal border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="space-y-4 p-6">
          <h2 id={headingId} className="text-lg font-semibold break-words">
            Confirm {who}
          </h2>
          {state.step === "loading" ? (
            <p className="text-sm text-slate-600" aria-busy="true">
              Fetching {member.email}&rsquo;s public key…
            </p>
          ) : null}
          {state.step === "failed" ? <Alert>{state.error}</Alert> : null}
          {state.step === "compare" ? (
            <>
              <p className="text-sm text-slate-700">
                Confirming gives {member.email} the organization&rsquo;s key.
                First ask them, over a call or a chat you trust, to read the
                fingerprint phrase on their account page. Confirm only if it is
                exactly these words:
              </p>
              <Fingerprint phrase={state.phrase} />
              {error ? <Alert>{error}</Alert> : null}
            </>
          ) : null}
          <div className="flex flex-wrap justify-end gap-2">
            <Button variant="ghost" onClick={close} disabled={pending}>
              Cancel
            </Button>
            {state.step === "compare" ? (
              <Button onClick={confirm} disabled={pending} autoFocus>
                {pending ? "Confirming…" : "Phrase matches, confirm"}
              </Button>
            ) : null}
          </div>
        </div>
      </dialog>
    </>
  );
}
