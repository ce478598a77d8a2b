import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { ROLES, type Principal, type Role } from "../domain/roles";

/**
 * The context the API key authorizer attaches to a request. Values are strings
 * so that the same shape works for API Gateway's simple responses.
 */
export interface AuthorizerContext {
  key_id: string;
  role: string;
  /** "*" for every storefront, else comma-separated storefront ids. */
  storefronts: string;
}

export function toAuthorizerContext(principal: Principal): AuthorizerContext {
  return {
    key_id: principal.keyId,
    role: principal.role,
    storefronts: principal.storefrontIds === null ? "*" : principal.storefrontIds.join(","),
  };
}

/** The caller, as the authorizer resolved it; `undefined` when the key was missing or invalid. */
export function principalOf(event: APIGatewayProxyEventV2): Principal | undefined {
  const context = (event.requestContext as { authorizer?: { lambda?: Partial<AuthorizerContext> } }).authorizer?.lambda;
  if (!context?.key_id || !ROLES.includes(context.role as Role)) return undefined;
  const storefronts = context.storefronts ?? "";
  return {
    keyId: context.key_id,
    role: context.role as Role,
    storefrontIds: storefronts === "*" ? null : storefronts.split(",").filter(Boolean).map(Number),
  };
}
