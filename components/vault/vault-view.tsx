"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ItemRow } from "@/components/vault/item-row";
import { NewCollectionForm } from "@/components/vault/new-collection-form";
import { NewItemForm } from "@/components/vault/new-item-form";
import {
  decryptOrUndefined,
  useOrganizationKey,
} from "@/components/vault/organization-key";
import { parseItem, type ItemFields } from "@/components/vault/vault-items";
import type { VaultCollection } from "@/lib/vault";

interface OpenCollection {
  id: string;
  name: string | undefined;
  groupIds: string[];
  items: { id: string; fields: ItemFields | undefined }[];
}

async function decryptCollections(
  key: Uint8Array<ArrayBuffer>,
  collections: VaultCollection[],
): Promise<OpenCollection[]> {
  return Promise.all(
    collections.map(async (collection) => ({
      id: collection.id,
      name: await decryptOrUndefined(key, collection.name),
      groupIds: collection.groupIds,
      items: await Promise.all(
        collection.items.map(async (item) => ({
          id: item.id,
          fields: parseItem(await decryptOrUndefined(key, item.data)),
        })),
      ),
    })),
  );
}

/**
 * The vault as this browser decrypts it. What arrives from the server is
 * fetched for this request only; nothing is kept between page loads.
 */
export function VaultView({
  organizationId,
  organizationKey,
  canManage,
  collections,
  groups,
}: {
  organizationId: string;
  organizationKey: string;
  canManage: boolean;
  collections: VaultCollection[];
  groups: { id: string; displayName: string }[];
}) {
  const router = useRouter();
  const key = useOrganizationKey(organizationKey);
  const [open, setOpen] = useState<{
    from: VaultCollection[];
    collections: OpenCollection[];
  }>();
  const [form, setForm] = useState<"collection" | "item">();
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    if (key.state !== "open") return;
    let current = true;
    decryptCollections(key.key, collections).then((decrypted) => {
      if (current) setOpen({ from: collections, collections: decrypted });
    });
    return () => {
      current = false;
    };
  }, [key, collections]);

  if (key.state === "locked") {
    return (
      <Alert tone="info">
        Your keys are locked in this tab. Unlock them with your master password
        to open the vault.
      </Alert>
    );
  }
  if (key.state === "broken") {
    return (
      <Alert>
        Your copy of the organization key does not open with your account key.
        Ask an administrator to confirm you again.
      </Alert>
    );
  }
  if (key.state === "opening" || open?.from !== collections) {
    return (
      <p className="text-sm text-slate-500" aria-busy="true">
        Decrypting the vault…
      </p>
    );
  }

  const groupNames = new Map(groups.map((g) => [g.id, g.displayName]));
  function done(message: string) {
    setForm(undefined);
    setNotice(message || undefined);
    if (message) router.refresh();
  }

  return (
    <div className="space-y-6">
      {canManage ? (
        <div className="flex flex-wrap gap-2">
          <Button
            variant={form === "collection" ? "secondary" : "primary"}
            aria-expanded={form === "collection"}
            onClick={() => {
              setNotice(undefined);
              setForm(form === "collection" ? undefined : "collection");
            }}
          >
            New collection
          </Button>
          <Button
            variant="secondary"
            aria-expanded={form === "item"}
            disabled={open.collections.length === 0}
            title={
              open.collections.length === 0
                ? "Create a collection first"
                : undefined
            }
            onClick={() => {
              setNotice(undefined);
              setForm(form === "item" ? undefined : "item");
            }}
          >
            New item
          </Button>
        </div>
      ) : null}

      {notice ? <Alert tone="success">{notice}</Alert> : null}

      {form === "collection" ? (
        <NewCollectionForm
          organizationId={organizationId}
          organizationKey={key.key}
          groups={groups}
          onDone={done}
        />
      ) : null}
      {form === "item" ? (
        <NewItemForm
          organizationId={organizationId}
          organizationKey={key.key}
          collections={open.collections.map((c) => ({
            id: c.id,
            name: c.name ?? "(cannot decrypt)",
          }))}
          onDone={done}
        />
      ) : null}

      {open.collections.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
          {canManage
            ? "No collections yet. Create one and choose which groups can open it; then add items to it."
            : "No collections are shared with you yet. An administrator grants collections to your groups."}
        </div>
      ) : (
        open.collections.map((collection) => (
          <section
            key={collection.id}
            aria-labelledby={`collection-${collection.id}`}
            className="rounded-lg border border-slate-200 bg-white"
          >
            <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
              <h2
                id={`collection-${collection.id}`}
                className="text-lg font-medium break-words"
              >
                {collection.name ?? (
                  <span className="text-red-700 italic">
                    Name cannot be decrypted
                  </span>
                )}
              </h2>
              {canManage ? (
                <p className="text-sm text-slate-600">
                  {collection.groupIds.length === 0
                    ? "Owners and admins only"
                    : `Groups: ${collection.groupIds
                        .map((id) => groupNames.get(id) ?? "unknown group")
                        .join(", ")}`}
                </p>
              ) : null}
            </header>
            {collection.items.length === 0 ? (
              <p className="px-4 py-3 text-sm text-slate-500">
                No items in this collection yet.
              </p>
            ) : (
              <ul className="divide-y divide-slate-200">
                {collection.items.map((item) => (
                  <ItemRow key={item.id} item={item.fields} />
                ))}
              </ul>
            )}
          </section>
        ))
      )}
    </div>
  );
}
