import { handleScimRequest } from "@/lib/scim/handler";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const handle = (request: Request) => handleScimRequest(request);

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
