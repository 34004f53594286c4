"use client";

import { useTransition } from "react";
import { signOutAction } from "@/app/(auth)/actions";
import { clearKeys } from "@/components/keys/key-store";
import { Button } from "@/components/ui/button";

/** Signs out and comes back to this invitation, to continue with another account. */
export function SwitchAccountButton() {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      className="w-full"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          clearKeys();
          await signOutAction();
          window.location.reload();
        })
      }
    >
      {pending ? "Signing out…" : "Sign out and continue"}
    </Button>
  );
}
