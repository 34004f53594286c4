export function AuthCard({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <p className="mb-6 text-center text-sm font-semibold tracking-wide text-blue-800 uppercase">
          Organization Console
        </p>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="text-xl font-semibold">{title}</h1>
          {subtitle ? (
            <p className="mt-1 mb-5 text-sm text-slate-600">{subtitle}</p>
          ) : (
            <div className="mb-5" />
          )}
          {children}
        </div>
      </div>
    </main>
  );
}
