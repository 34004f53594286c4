"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  deleteGroupAction,
  renameGroupAction,
} from "@/app/organizations/[organizationId]/groups/actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Form } from "@/components/ui/form";
import { toast } from "@/components/ui/toast";

export function GroupSettings({
  organizationId,
  groupId,
  displayName,
  managedByScim,
}: {
  organizationId: string;
  groupId: string;
  displayName: string;
  managedByScim: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [deleting, setDeleting] = useState(false);
  const [pending, startTransition] = useTransition();

  function rename(form: FormData) {
    startTransition(async () => {
      const result = await renameGroupAction(organizationId, groupId, {
        displayName: String(form.get("displayName") ?? ""),
      });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(undefined);
      toast(result.value);
      router.refresh();
    });
  }

  function remove() {
    startTransition(async () => {
      const result = await deleteGroupAction(organizationId, groupId);
      if (!result.ok) {
        toast(result.error, "error");
        setDeleting(false);
        return;
      }
      toast(result.value);
      router.push(`/organizations/${organizationId}/groups`);
    });
  }

  return (
    <section
      aria-labelledby="group-settings-heading"
      className="rounded-lg border border-slate-200 bg-white p-5"
    >
      <h2 id="group-settings-heading" className="text-base font-semibold">
        Group settings
      </h2>
      <Form submit={rename} noValidate className="mt-3 space-y-3">
        <Field
          label="Group name"
          name="displayName"
          defaultValue={displayName}
          maxLength={256}
          required
          error={error}
        />
        <Button type="submit" variant="secondary" disabled={pending}>
          Rename
        </Button>
      </Form>
      <div className="mt-5 border-t border-slate-200 pt-4">
        <Button variant="danger" onClick={() => setDeleting(true)}>
          Delete group
        </Button>
      </div>
      <Dialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title={`Delete “${displayName}”?`}
        description={
          <>
            <p>
              Members stay in the organization, but lose the collections this
              group opened for them.
            </p>
            {managedByScim ? (
              <p className="mt-2">
                This group comes from your identity provider, which may create
                it again on its next push. Remove it there to delete it for
                good.
              </p>
            ) : null}
          </>
        }
      >
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setDeleting(false)}>
            Cancel
          </Button>
          <Button variant="danger" disabled={pending} onClick={remove}>
            Delete group
          </Button>
        </div>
      </Dialog>
    </section>
  );
}
