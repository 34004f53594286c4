"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { saveScimSettingsAction } from "@/app/organizations/[organizationId]/settings/scim/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Form } from "@/components/ui/form";
import { toast } from "@/components/ui/toast";

export function ScimSettingsForm({
  organizationId,
  enabled,
  sendInvitations,
}: {
  organizationId: string;
  enabled: boolean;
  sendInvitations: boolean;
}) {
  const router = useRouter();
  const [scimOn, setScimOn] = useState(enabled);
  const [invitationsOn, setInvitationsOn] = useState(sendInvitations);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const [pending, startTransition] = useTransition();

  function save() {
    startTransition(async () => {
      const result = await saveScimSettingsAction(organizationId, {
        enabled: scimOn,
        sendInvitations: invitationsOn,
      });
      if (!result.ok) {
        setError(result.error);
        setSaved(undefined);
        toast(result.error, "error");
        return;
      }
      setError(undefined);
      setSaved(result.value);
      toast(result.value);
      router.refresh();
    });
  }

  return (
    <Form
      submit={save}
      className="space-y-5 rounded-lg border border-slate-200 bg-white p-5"
    >
      {error ? <Alert>{error}</Alert> : null}
      <div className="flex items-start gap-3">
        <input
          id="scim-enabled"
          type="checkbox"
          checked={scimOn}
          onChange={(event) => {
            setScimOn(event.target.checked);
            setSaved(undefined);
          }}
          aria-describedby="scim-enabled-hint"
          className="mt-0.5 size-5 accent-blue-700"
        />
        <div>
          <label htmlFor="scim-enabled" className="font-medium text-slate-900">
            Enable SCIM
          </label>
          <p id="scim-enabled-hint" className="text-sm text-slate-600">
            Lets your identity provider create, update and deactivate members
            and groups. Turning it off stops every SCIM request; the API key is
            kept for when you turn it on again.
          </p>
        </div>
      </div>

      <div className="flex items-start gap-3">
        <button
          type="button"
          role="switch"
          id="send-invitations"
          aria-checked={invitationsOn}
          aria-labelledby="send-invitations-label"
          aria-describedby="send-invitations-hint"
          onClick={() => {
            setInvitationsOn(!invitationsOn);
            setSaved(undefined);
          }}
          className={`relative mt-0.5 inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 ${invitationsOn ? "bg-blue-700" : "bg-slate-300"}`}
        >
          <span
            aria-hidden="true"
            className={`inline-block size-5 rounded-full bg-white shadow transition-transform ${invitationsOn ? "translate-x-5" : "translate-x-0.5"}`}
          />
        </button>
        <div>
          <span
            id="send-invitations-label"
            className="font-medium text-slate-900"
          >
            Send invitations when members are provisioned
          </span>
          <p id="send-invitations-hint" className="text-sm text-slate-600">
            {invitationsOn
              ? "New members get their invitation email at once."
              : "New members are staged: send each invitation from Members when you are ready."}
          </p>
        </div>
      </div>

      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
        <p role="status" className="text-sm text-green-800">
          {saved}
        </p>
      </div>
    </Form>
  );
}
