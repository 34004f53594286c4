"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { addGroupMembersAction } from "@/app/organizations/[organizationId]/groups/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Form } from "@/components/ui/form";
import { toast } from "@/components/ui/toast";

export function AddMembersForm({
  organizationId,
  groupId,
}: {
  organizationId: string;
  groupId: string;
}) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function submit(data: FormData) {
    const emails = String(data.get("emails") ?? "");
    startTransition(async () => {
      const result = await addGroupMembersAction(organizationId, groupId, {
        emails,
      });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(undefined);
      form.current?.reset();
      toast(result.value.message, result.value.added ? "success" : "info");
      router.refresh();
    });
  }

  return (
    <Form
      ref={form}
      submit={submit}
      noValidate
      className="mb-4 space-y-2 rounded-lg border border-slate-200 bg-white p-4"
    >
      {error ? <Alert>{error}</Alert> : null}
      <label htmlFor="add-emails" className="block text-sm font-medium">
        Add members by email
      </label>
      <textarea
        id="add-emails"
        name="emails"
        rows={2}
        aria-describedby="add-emails-hint"
        placeholder="ada@example.com, grace@example.com"
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-blue-600"
      />
      <p id="add-emails-hint" className="text-sm text-slate-500">
        Separate addresses with commas, spaces or new lines. Only members of the
        organization can be added.
      </p>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Adding…" : "Add to group"}
      </Button>
    </Form>
  );
}
