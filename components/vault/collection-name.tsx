"use client";

import { useEffect, useState } from "react";
import {
  decryptOrUndefined,
  useOrganizationKey,
} from "@/components/vault/organization-key";

/**
 * A collection's name, decrypted in this browser. `encryptedOrganizationKey`
 * is the viewer's own membership key (members.organizationKey); the server
 * only ever has the encrypted name.
 */
export function CollectionName({
  encryptedOrganizationKey,
  name,
}: {
  encryptedOrganizationKey: string;
  name: string;
}) {
  const key = useOrganizationKey(encryptedOrganizationKey);
  const [decrypted, setDecrypted] = useState<{
    for: string;
    text: string | undefined;
  }>();

  useEffect(() => {
    if (key.state !== "open") return;
    let current = true;
    decryptOrUndefined(key.key, name).then((text) => {
      if (current) setDecrypted({ for: name, text });
    });
    return () => {
      current = false;
    };
  }, [key, name]);

  if (key.state === "locked") {
    return <span className="text-slate-500 italic">Locked</span>;
  }
  if (key.state === "broken") {
    return <span className="text-red-700 italic">Cannot decrypt</span>;
  }
  if (decrypted?.for !== name) {
    return (
      <span className="text-slate-400" aria-busy="true">
        Decrypting…
      </span>
    );
  }
  return decrypted.text === undefined ? (
    <span className="text-red-700 italic">Cannot decrypt</span>
  ) : (
    <span>{decrypted.text}</span>
  );
}
