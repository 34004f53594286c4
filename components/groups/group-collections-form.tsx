"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { setGroupCollectionsAction } from "@/app/organizations/[organizationId]/groups/actions";
import { Button } from "@/components/ui/button";
import { Form } from "@/components/ui/form";
import { toast } from "@/components/ui/toast";
import { CollectionName } from "@/components/vault/collection-name";

export function GroupCollectionsForm({
  organizationId,
  groupId,
  collections,
  granted,
  encryptedOrganizationKey,
}: {
  organizationId: string;
  groupId: string;
  collections: { id: string; name: string }[];
  granted: string[];
  encryptedOrganizationKey: string | null;
}) {
  const router = useRouter();
  const [chosen, setChosen] = useState(new Set(granted));
  const [pending, startTransition] = useTransition();

  if (collections.length === 0) {
    return (
      <p className="mt-2 text-sm text-slate-600">
        The vault has no collections yet. Create one in the Vault, then choose
        here which groups can open it.
      </p>
    );
  }

  function save() {
    startTransition(async () => {
      const result = await setGroupCollectionsAction(organizationId, groupId, {
        collectionIds: [...chosen],
      });
      toast(
        result.ok ? result.value : result.error,
        result.ok ? "success" : "error",
      );
      router.refresh();
    });
  }

  return (
    <Form submit={save} className="mt-3">
      <fieldset>
        <legend className="sr-only">Collections</legend>
        <ul className="space-y-2">
          {collections.map((collection) => (
            <li key={collection.id} className="flex items-center gap-2 text-sm">
              <input
                id={`collection-${collection.id}`}
                type="checkbox"
                checked={chosen.has(collection.id)}
                onChange={(event) => {
                  const next = new Set(chosen);
                  if (event.target.checked) next.add(collection.id);
                  else next.delete(collection.id);
                  setChosen(next);
                }}
                className="size-4 accent-blue-700"
              />
              <label htmlFor={`collection-${collection.id}`}>
                {encryptedOrganizationKey ? (
                  <CollectionName
                    encryptedOrganizationKey={encryptedOrganizationKey}
                    name={collection.name}
                  />
                ) : (
                  "Encrypted collection"
                )}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <Button
        type="submit"
        variant="secondary"
        disabled={pending}
        className="mt-4"
      >
        {pending ? "Saving…" : "Save collections"}
      </Button>
    </Form>
  );
}
