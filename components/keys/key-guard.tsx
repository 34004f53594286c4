"use client";

import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { loadPrivateKey } from "@/components/keys/key-store";

/** Sends a signed-in person whose keys are locked in this tab to unlock them. */
export function KeyGuard() {
  const pathname = usePathname();
  useEffect(() => {
    if (!loadPrivateKey()) {
      window.location.replace(`/unlock?next=${encodeURIComponent(pathname)}`);
    }
  }, [pathname]);
  return null;
}
