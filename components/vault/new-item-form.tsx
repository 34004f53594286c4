"use client";

import { useState } from "react";
import { createItemAction } from "@/app/organizations/[organizationId]/vault/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Form } from "@/components/ui/form";
import type { ItemFields } from "@/components/vault/vault-items";
import { encryptText } from "@/lib/crypto";

const controlClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-blue-600";

/** Adds an item; every field is encrypted together here, before it is sent. */
export function NewItemForm({
  organizationId,
  organizationKey,
  collections,
  onDone,
}: {
  organizationId: string;
  organizationKey: Uint8Array<ArrayBuffer>;
  collections: { id: string; name: string }[];
  onDone: (message: string) => void;
}) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function submit(form: FormData) {
    const collectionId = String(form.get("collectionId") ?? "");
    const item: ItemFields = {
      name: String(form.get("name") ?? "").trim(),
      username: String(form.get("username") ?? "").trim(),
      password: String(form.get("password") ?? ""),
      note: String(form.get("note") ?? ""),
    };
    if (!collectionId) {
      setError("Choose a collection.");
      return;
    }
    if (!item.name) {
      setError("Enter a name for the item.");
      return;
    }
    if (JSON.stringify(item).length > 20_000) {
      setError("The item is too long; keep notes under 20,000 characters.");
      return;
    }
    setPending(true);
    setError(undefined);
    try {
      const result = await createItemAction(organizationId, {
        collectionId,
        data: await encryptText(organizationKey, JSON.stringify(item)),
      });
      if (result.ok) onDone(`Item "${item.name}" saved.`);
      else setError(result.error);
    } catch {
      setError("Saving the item failed. Try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <Form
      submit={submit}
      aria-labelledby="new-item-heading"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
      noValidate
    >
      <h2 id="new-item-heading" className="text-lg font-medium">
        New item
      </h2>
      {error ? <Alert>{error}</Alert> : null}
      <div>
        <label
          htmlFor="item-collection"
          className="mb-1 block text-sm font-medium text-slate-800"
        >
          Collection
        </label>
        <select
          id="item-collection"
          name="collectionId"
          className={controlClass}
        >
          {collections.map((collection) => (
            <option key={collection.id} value={collection.id}>
              {collection.name}
            </option>
          ))}
        </select>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Item name" name="name" maxLength={256} autoFocus />
        <Field
          label="Username"
          name="username"
          maxLength={1000}
          autoComplete="off"
        />
        <Field
          label="Password"
          name="password"
          type="password"
          maxLength={1000}
          autoComplete="new-password"
        />
      </div>
      <div>
        <label
          htmlFor="item-note"
          className="mb-1 block text-sm font-medium text-slate-800"
        >
          Note
        </label>
        <textarea
          id="item-note"
          name="note"
          rows={3}
          maxLength={10_000}
          className={controlClass}
        />
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save item"}
        </Button>
        <Button variant="ghost" onClick={() => onDone("")}>
          Cancel
        </Button>
      </div>
    </Form>
  );
}
