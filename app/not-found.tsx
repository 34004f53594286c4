import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-blue-800">404</p>
        <h1 className="mt-2 text-2xl font-semibold">Page not found</h1>
        <p className="mt-2 text-sm text-slate-600">
          This page does not exist, or you do not have access to it. If someone
          sent you this link, ask them to check that you are a member.
        </p>
        <Link
          href="/organizations"
          className="mt-6 inline-block text-sm font-medium text-blue-700 underline"
        >
          Go to your organizations
        </Link>
      </div>
    </main>
  );
}
