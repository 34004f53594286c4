/** A fingerprint phrase, shown the same way to the member and the administrator. */
export function Fingerprint({ phrase }: { phrase: string[] }) {
  return (
    <p
      aria-label="Fingerprint phrase"
      data-testid="fingerprint-phrase"
      className="rounded-md border border-slate-200 bg-slate-50 px-3 py-3 text-center font-mono text-base font-semibold tracking-wide break-words"
    >
      {phrase.join("-")}
    </p>
  );
}
