/** The short setup guide beside the SCIM values: which of our values goes into which field. */
export function ProviderGuide({ scimUrl }: { scimUrl?: string }) {
  const url = scimUrl ? (
    <code className="break-all">{scimUrl}</code>
  ) : (
    "the SCIM URL (shown once SCIM is on)"
  );
  return (
    <aside
      aria-labelledby="guide-heading"
      className="h-fit rounded-lg border border-slate-200 bg-white p-5 text-sm"
    >
      <h2 id="guide-heading" className="text-base font-semibold">
        Set up Okta
      </h2>
      <ol className="mt-3 list-decimal space-y-3 pl-5 text-slate-800">
        <li>
          In the Okta Admin Console, add the{" "}
          <em>SCIM 2.0 Test App (Header Auth)</em>, or open your own app with
          SCIM provisioning enabled.
        </li>
        <li>
          On its <em>Provisioning</em> tab, choose <em>Integration</em> →{" "}
          <em>Configure API Integration</em>, tick{" "}
          <em>Enable API integration</em>, and fill in:
          <table className="mt-2 w-full border border-slate-200 text-left">
            <caption className="sr-only">
              Okta fields and the values to enter
            </caption>
            <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
              <tr>
                <th scope="col" className="px-2 py-1">
                  Okta field
                </th>
                <th scope="col" className="px-2 py-1">
                  Enter
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200 align-top">
              <tr>
                <th scope="row" className="px-2 py-1.5 font-medium">
                  Base URL
                </th>
                <td className="px-2 py-1.5">{url}</td>
              </tr>
              <tr>
                <th scope="row" className="px-2 py-1.5 font-medium">
                  API Token
                </th>
                <td className="px-2 py-1.5">
                  the API key (Show or Copy it on this page)
                </td>
              </tr>
            </tbody>
          </table>
          <p className="mt-1 text-slate-600">
            In an app built with the App Integration Wizard the same fields are
            called <em>SCIM connector base URL</em> and, with Authentication
            Mode <em>HTTP Header</em>, <em>Authorization</em>; use{" "}
            <code>userName</code> as the unique identifier.
          </p>
        </li>
        <li>
          Choose <em>Test API Credentials</em>, save, then under <em>To App</em>{" "}
          enable Create Users, Update User Attributes and Deactivate Users.
        </li>
        <li>
          Assign people and push groups: they appear under Members and Groups.
        </li>
      </ol>

      <h3 className="mt-5 font-semibold">Microsoft Entra ID</h3>
      <p className="mt-1 text-slate-700">
        Enterprise application → Provisioning → Automatic, then:
      </p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        <dt className="font-medium">Tenant URL</dt>
        <dd>{url}</dd>
        <dt className="font-medium">Secret Token</dt>
        <dd>the API key</dd>
      </dl>
    </aside>
  );
}
