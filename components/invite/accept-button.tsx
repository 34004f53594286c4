"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { acceptInvitationAction } from "@/app/invite/[memberId]/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export function AcceptButton({
  memberId,
  token,
}: {
  memberId: string;
  token: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function accept() {
    setPending(true);
    setError(undefined);
    try {
      const result = await acceptInvitationAction(memberId, token);
      if (result.ok) router.refresh();
      else setError(result.error);
    } catch {
      setError("Accepting failed. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-3">
      {error ? <Alert>{error}</Alert> : null}
      <Button className="w-full" onClick={accept} disabled={pending}>
        {pending ? "Accepting…" : "Accept invitation"}
      </Button>
    </div>
  );
}
