"use client";

import { useState } from "react";
import { createCollectionAction } from "@/app/organizations/[organizationId]/vault/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Form } from "@/components/ui/form";
import { encryptText } from "@/lib/crypto";

/** Names a collection and picks its groups; the name is encrypted here before it is sent. */
export function NewCollectionForm({
  organizationId,
  organizationKey,
  groups,
  onDone,
}: {
  organizationId: string;
  organizationKey: Uint8Array<ArrayBuffer>;
  groups: { id: string; displayName: string }[];
  onDone: (message: string) => void;
}) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function submit(form: FormData) {
    const name = String(form.get("name") ?? "").trim();
    if (!name) {
      setError("Enter a name for the collection.");
      return;
    }
    if (name.length > 256) {
      setError("A collection name has at most 256 characters.");
      return;
    }
    setPending(true);
    setError(undefined);
    try {
      const result = await createCollectionAction(organizationId, {
        name: await encryptText(organizationKey, name),
        groupIds: form.getAll("groupIds").map(String),
      });
      if (result.ok) onDone(`Collection "${name}" created.`);
      else setError(result.error);
    } catch {
      setError("Creating the collection failed. Try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <Form
      submit={submit}
      aria-labelledby="new-collection-heading"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
      noValidate
    >
      <h2 id="new-collection-heading" className="text-lg font-medium">
        New collection
      </h2>
      {error ? <Alert>{error}</Alert> : null}
      <Field label="Collection name" name="name" maxLength={256} autoFocus />
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-800">
          Groups that can open it
        </legend>
        {groups.length === 0 ? (
          <p className="text-sm text-slate-600">
            There are no groups yet. Groups come from your identity provider
            over SCIM; you can grant them this collection later on the Groups
            page.
          </p>
        ) : (
          <ul className="grid gap-1 sm:grid-cols-2">
            {groups.map((group) => (
              <li key={group.id}>
                <label className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    name="groupIds"
                    value={group.id}
                    className="size-4 rounded border-slate-300"
                  />
                  {group.displayName}
                </label>
              </li>
            ))}
          </ul>
        )}
        <p className="mt-2 text-sm text-slate-500">
          Owners and admins can open every collection.
        </p>
      </fieldset>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create collection"}
        </Button>
        <Button variant="ghost" onClick={() => onDone("")}>
          Cancel
        </Button>
      </div>
    </Form>
  );
}
