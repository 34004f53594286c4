import { Alert } from "@/components/ui/alert";

const states = {
  awaiting_confirmation: {
    tone: "info" as const,
    title: "Waiting for an administrator",
    text: "You accepted the invitation. An administrator of the organization still has to confirm you, which gives your account the organization's key. Until then the vault stays closed. If they ask, compare the fingerprint phrase on your account page.",
  },
  revoked: {
    tone: "error" as const,
    title: "Your access has been revoked",
    text: "The organization's vault is closed to you, and nothing of it is sent to this browser. Ask an administrator of the organization if you think this is a mistake.",
  },
  not_invited: {
    tone: "info" as const,
    title: "Not invited yet",
    text: "You were added to this organization but have not been sent an invitation yet. An administrator can send it from the Members page.",
  },
};

/** The vault of someone who may not open it: no ciphertext reached this page. */
export function VaultClosed({ access }: { access: keyof typeof states }) {
  const state = states[access];
  return (
    <div className="max-w-2xl space-y-3">
      <h2 className="text-lg font-medium">{state.title}</h2>
      <Alert tone={state.tone}>{state.text}</Alert>
      {access === "awaiting_confirmation" ? (
        <p className="text-sm">
          <a href="/account" className="font-medium text-blue-700 underline">
            Show my fingerprint phrase
          </a>
        </p>
      ) : null}
    </div>
  );
}
