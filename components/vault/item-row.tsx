"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/vault/copy-button";
import type { ItemFields } from "@/components/vault/vault-items";

/** One decrypted item: the password stays masked until Reveal. */
export function ItemRow({ item }: { item: ItemFields | undefined }) {
  const [revealed, setRevealed] = useState(false);

  if (!item) {
    return (
      <li className="px-4 py-3 text-sm text-red-700">
        This item could not be decrypted with the organization key.
      </li>
    );
  }

  return (
    <li className="px-4 py-3">
      <h3 className="font-medium break-words">{item.name || "Untitled"}</h3>
      <dl className="mt-2 grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[8rem_1fr] sm:items-center">
        {item.username ? (
          <>
            <dt className="text-slate-500">Username</dt>
            <dd className="flex min-w-0 items-center gap-2">
              <span className="truncate font-mono">{item.username}</span>
              <CopyButton value={item.username} label="username" />
            </dd>
          </>
        ) : null}
        {item.password ? (
          <>
            <dt className="text-slate-500">Password</dt>
            <dd className="flex min-w-0 flex-wrap items-center gap-2">
              <span
                className="font-mono break-all"
                aria-label={revealed ? "Password" : "Password hidden"}
              >
                {revealed ? item.password : "••••••••••••"}
              </span>
              <Button
                variant="secondary"
                className="px-2 py-1 text-xs"
                aria-pressed={revealed}
                onClick={() => setRevealed(!revealed)}
              >
                {revealed ? "Hide" : "Reveal"}
              </Button>
              <CopyButton value={item.password} label="password" />
            </dd>
          </>
        ) : null}
        {item.note ? (
          <>
            <dt className="text-slate-500">Note</dt>
            <dd className="whitespace-pre-wrap break-words">{item.note}</dd>
          </>
        ) : null}
      </dl>
    </li>
  );
}
