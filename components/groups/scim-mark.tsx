export function ScimMark() {
  return (
    <span
      title="Created by your identity provider over SCIM"
      className="ml-2 inline-flex rounded border border-violet-300 bg-violet-50 px-1.5 py-0.5 align-middle text-[11px] font-semibold text-violet-800"
    >
      Managed by SCIM
    </span>
  );
}
