/** API key roles, from least to most privileged. */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function roleAllows(held: Role, required: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(required);
}

/** Who is calling: resolved from the API key by the authorizer. */
export interface Principal {
  keyId: string;
  role: Role;
  /** Storefront ids this key may touch; `null` means every storefront. */
  storefrontIds: number[] | null;
  /** Set when the caller relays a platform's report (webhooks, scheduled pulls): stock it sets is not the ERP's. */
  relaysPlatform?: true;
}

export function canAccessStorefront(principal: Principal, storefrontId: number): boolean {
  return principal.storefrontIds === null || principal.storefrontIds.includes(storefrontId);
}
