import type { ScimContext } from "./context";
import type { ListParams } from "./list";

/** A SCIM resource type as the router dispatches to it. */
export interface ScimResource {
  list(ctx: ScimContext, params: ListParams): Promise<Response>;
  get(ctx: ScimContext, id: string): Promise<Response>;
  create(ctx: ScimContext): Promise<Response>;
  replace(ctx: ScimContext, id: string): Promise<Response>;
  patch(ctx: ScimContext, id: string): Promise<Response>;
  remove(ctx: ScimContext, id: string): Promise<Response>;
}
