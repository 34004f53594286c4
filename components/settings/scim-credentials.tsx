"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  revealScimKeyAction,
  rotateScimKeyAction,
} from "@/app/organizations/[organizationId]/settings/scim/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Form } from "@/components/ui/form";
import { toast } from "@/components/ui/toast";
import { copyText } from "./copy-text";
import { authHashOf } from "./master-password";

const masked = "scim_" + "•".repeat(32);

type Prompt = "show" | "copy";

export function ScimCredentials({
  organizationId,
  scimUrl,
}: {
  organizationId: string;
  scimUrl: string;
}) {
  const router = useRouter();
  const [apiKey, setApiKey] = useState<string>();
  const [shown, setShown] = useState(false);
  const [prompt, setPrompt] = useState<Prompt>();
  const [rotating, setRotating] = useState<"warn" | "done">();
  const [newKey, setNewKey] = useState<string>();
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function closePrompt() {
    setPrompt(undefined);
    setError(undefined);
  }

  async function passwordHash(form: FormData) {
    const password = String(form.get("password") ?? "");
    if (!password) {
      setError("Enter your master password.");
      return undefined;
    }
    const authHash = await authHashOf(password);
    if (!authHash) setError("Your session has ended. Sign in again.");
    return authHash;
  }

  function reveal(form: FormData) {
    startTransition(async () => {
      const authHash = await passwordHash(form);
      if (!authHash) return;
      const result = await revealScimKeyAction(organizationId, authHash);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setApiKey(result.value);
      if (prompt === "copy") await copyText(result.value, "API key");
      else setShown(true);
      closePrompt();
    });
  }

  function rotate(form: FormData) {
    startTransition(async () => {
      const authHash = await passwordHash(form);
      if (!authHash) return;
      const result = await rotateScimKeyAction(organizationId, authHash);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(undefined);
      setApiKey(undefined);
      setShown(false);
      setNewKey(result.value);
      setRotating("done");
      toast("SCIM API key rotated");
      router.refresh();
    });
  }

  const passwordForm = (
    action: (form: FormData) => void,
    submit: string,
    danger = false,
  ) => (
    <Form submit={action} noValidate className="space-y-4">
      {error ? <Alert>{error}</Alert> : null}
      <Field
        label="Master password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus
      />
      <div className="flex justify-end gap-2">
        <Button
          variant="secondary"
          onClick={() => {
            closePrompt();
            setRotating(undefined);
          }}
        >
          Cancel
        </Button>
        <Button
          type="submit"
          variant={danger ? "danger" : "primary"}
          disabled={pending}
        >
          {pending ? "Checking…" : submit}
        </Button>
      </div>
    </Form>
  );

  return (
    <div className="space-y-5">
      <div>
        <label
          htmlFor="scim-url"
          className="mb-1 block text-sm font-medium text-slate-800"
        >
          SCIM URL
        </label>
        <div className="flex gap-2">
          <input
            id="scim-url"
            readOnly
            value={scimUrl}
            onFocus={(event) => event.target.select()}
            className="block w-full min-w-0 rounded-md border border-slate-300 bg-slate-100 px-3 py-2 font-mono text-sm text-slate-800 focus-visible:outline-2 focus-visible:outline-blue-600"
          />
          <Button
            variant="secondary"
            onClick={() => copyText(scimUrl, "SCIM URL")}
            aria-label="Copy SCIM URL"
          >
            Copy
          </Button>
        </div>
      </div>

      <div>
        <label
          htmlFor="scim-api-key"
          className="mb-1 block text-sm font-medium text-slate-800"
        >
          API key
        </label>
        <div className="flex flex-wrap gap-2 sm:flex-nowrap">
          <input
            id="scim-api-key"
            readOnly
            value={shown && apiKey ? apiKey : masked}
            aria-describedby="scim-api-key-hint"
            className="block w-full min-w-0 rounded-md border border-slate-300 bg-slate-100 px-3 py-2 font-mono text-sm text-slate-800 focus-visible:outline-2 focus-visible:outline-blue-600"
          />
          <div className="flex gap-2">
            <Button
              variant="secondary"
              aria-label={shown ? "Hide API key" : "Show API key"}
              onClick={() =>
                shown
                  ? setShown(false)
                  : apiKey
                    ? setShown(true)
                    : setPrompt("show")
              }
            >
              {shown ? "Hide" : "Show"}
            </Button>
            <Button
              variant="secondary"
              aria-label="Copy API key"
              onClick={() =>
                apiKey ? copyText(apiKey, "API key") : setPrompt("copy")
              }
            >
              Copy
            </Button>
            <Button variant="danger" onClick={() => setRotating("warn")}>
              Rotate
            </Button>
          </div>
        </div>
        <p id="scim-api-key-hint" className="mt-1 text-sm text-slate-500">
          Showing or copying the key asks for your master password again.
        </p>
      </div>

      <Dialog
        open={Boolean(prompt)}
        onClose={closePrompt}
        title={prompt === "copy" ? "Copy the API key" : "Show the API key"}
        description="Enter your master password to see the SCIM API key. Anyone with the key can create and remove members of this organization."
      >
        {passwordForm(reveal, prompt === "copy" ? "Copy key" : "Show key")}
      </Dialog>

      <Dialog
        open={rotating === "warn"}
        onClose={() => {
          setRotating(undefined);
          setError(undefined);
        }}
        title="Rotate the SCIM API key?"
        description={
          <p>
            A new key replaces the current one at once.{" "}
            <strong>
              Current integrations stop working until you update the key
            </strong>{" "}
            in your identity provider (in Okta: the API Token of the app&apos;s
            Provisioning settings).
          </p>
        }
      >
        {passwordForm(rotate, "Rotate key", true)}
      </Dialog>

      <Dialog
        open={rotating === "done"}
        onClose={() => {
          setRotating(undefined);
          setNewKey(undefined);
        }}
        title="New SCIM API key"
        description="Copy it now and paste it into your identity provider. This is the only time it is shown without your master password."
      >
        <div className="space-y-4">
          <label htmlFor="new-scim-api-key" className="sr-only">
            New API key
          </label>
          <input
            id="new-scim-api-key"
            readOnly
            value={newKey ?? ""}
            onFocus={(event) => event.target.select()}
            className="block w-full rounded-md border border-slate-300 bg-slate-100 px-3 py-2 font-mono text-sm break-all"
          />
          <div className="flex justify-end gap-2">
            <Button
              variant="secondary"
              onClick={() => newKey && copyText(newKey, "API key")}
            >
              Copy key
            </Button>
            <Button
              onClick={() => {
                setRotating(undefined);
                setNewKey(undefined);
              }}
            >
              Done
            </Button>
          </div>
        </div>
      </Dialog>
    </div>
  );
}
