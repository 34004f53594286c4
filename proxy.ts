import { NextResponse, type NextRequest } from "next/server";

/**
 * Security headers for every page: a per-request nonce lets Next's own inline
 * scripts run while any other inline script (injected markup) cannot.
 */
export function proxy(request: NextRequest) {
  // CSRF, before anything runs: Next refuses a cross-origin server action
  // only with a 500, and a route handler would not refuse it at all.
  if (isCrossOriginWrite(request)) {
    return new NextResponse("Cross-origin request refused", {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }

  const nonce = btoa(crypto.randomUUID());
  const development = process.env.NODE_ENV === "development";
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("X-Frame-Options", "DENY");
  // Invitation links carry a token: never pass the URL on to another site.
  response.headers.set("Referrer-Policy", "no-referrer");
  response.headers.set(
    "Permissions-Policy",
    "camera=(), microphone=(), geolocation=()",
  );
  if (isHttps(request)) {
    response.headers.set(
      "Strict-Transport-Security",
      "max-age=63072000; includeSubDomains",
    );
  }
  return response;
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request whose Origin is another site than the one it
 * was sent to (the host as Next compares it for server actions). Browsers
 * send Origin on every cross-origin POST; a request without one is not
 * from another site's page.
 */
function isCrossOriginWrite(request: NextRequest): boolean {
  if (safeMethods.has(request.method)) return false;
  const origin = request.headers.get("origin");
  if (origin === null) return false;
  const host =
    request.headers.get("x-forwarded-host")?.split(",")[0].trim() ||
    request.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    // "null" (a sandboxed frame, a privacy-preserving redirect) or garbage.
    return true;
  }
}

function isHttps(request: NextRequest): boolean {
  return (
    request.nextUrl.protocol === "https:" ||
    request.headers.get("x-forwarded-proto")?.split(",")[0].trim() === "https"
  );
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico|scim/).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
  ],
};
