"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { createGroupAction } from "@/app/organizations/[organizationId]/groups/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Form } from "@/components/ui/form";
import { toast } from "@/components/ui/toast";

export function NewGroupForm({ organizationId }: { organizationId: string }) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function submit(data: FormData) {
    const displayName = String(data.get("displayName") ?? "");
    startTransition(async () => {
      const result = await createGroupAction(organizationId, { displayName });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(undefined);
      form.current?.reset();
      toast(result.value.message);
      router.refresh();
    });
  }

  return (
    <Form
      ref={form}
      submit={submit}
      noValidate
      className="mb-6 flex flex-wrap items-start gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <Field
        label="New group name"
        name="displayName"
        maxLength={256}
        required
        error={error}
        className="min-w-0 flex-1 basis-64"
      />
      <Button type="submit" disabled={pending} className="sm:mt-6">
        {pending ? "Creating…" : "Create group"}
      </Button>
    </Form>
  );
}
