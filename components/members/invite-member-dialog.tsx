"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { inviteMemberAction } from "@/app/organizations/[organizationId]/members/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Form } from "@/components/ui/form";
import { toast } from "@/components/ui/toast";

export function InviteMemberDialog({
  organizationId,
  canInviteOwners,
}: {
  organizationId: string;
  canInviteOwners: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function submit(form: FormData) {
    const email = String(form.get("email") ?? "").trim();
    const role = String(form.get("role") ?? "user");
    if (!email) {
      setError("Enter the email address to invite.");
      return;
    }
    startTransition(async () => {
      const result = await inviteMemberAction(organizationId, { email, role });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(undefined);
      setOpen(false);
      toast(result.value);
      router.refresh();
    });
  }

  return (
    <>
      <Button aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Invite member
      </Button>
      <Dialog
        open={open}
        onClose={() => {
          setOpen(false);
          setError(undefined);
        }}
        title="Invite member"
        description="They get an email with a link to create an account or sign in. After they accept, confirm them here to give them the organization key."
      >
        <Form submit={submit} noValidate className="space-y-4">
          {error ? <Alert>{error}</Alert> : null}
          <Field
            label="Email address"
            name="email"
            type="email"
            autoComplete="off"
            required
            autoFocus
            maxLength={254}
          />
          <div>
            <label
              htmlFor="invite-role"
              className="mb-1 block text-sm font-medium text-slate-800"
            >
              Role
            </label>
            <select
              id="invite-role"
              name="role"
              defaultValue="user"
              aria-describedby="invite-role-hint"
              className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-blue-600"
            >
              <option value="user">
                User: opens the collections of their groups
              </option>
              <option value="admin">
                Admin: manages members, groups and SCIM
              </option>
              {canInviteOwners ? (
                <option value="owner">
                  Owner: everything admins do, and manages owners
                </option>
              ) : null}
            </select>
            <p id="invite-role-hint" className="mt-1 text-sm text-slate-500">
              You can change the role later.
            </p>
          </div>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Sending…" : "Send invitation"}
            </Button>
          </div>
        </Form>
      </Dialog>
    </>
  );
}
