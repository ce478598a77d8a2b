import { ConflictError, ForbiddenError, NotFoundError } from "../http/errors";
import { credentialsCipher } from "../security/credentials-cipher";
import { changesConnection, isTestable, testConnection, withOutcome, type JustEncrypted } from "./storefront-connection";
import { nextId } from "../data/sequence";
import {
  DuplicateStorefrontCodeError,
  deleteStorefrontRecords,
  getStorefront,
  getStorefrontIdByCode,
  getStorefrontStats,
  insertStorefront,
  listStorefronts,
  replaceStorefront,
  type EncryptedCredential,
  type StorefrontItem,
  type StorefrontStats,
} from "../data/storefronts";
import { decodeCursor, encodeCursor } from "../data/cursor";
import {
  CREDENTIAL_FIELDS,
  storefrontView as storefrontViewSchema,
  type StorefrontView,
  type CreateStorefrontInput,
  type CredentialField,
  type UpdateStorefrontInput,
} from "../schemas/storefront";
import { formatMinorUnits } from "./money";
import { cartSettingsOf } from "../carts/settings";
import { stockRulesOf } from "./stock-rules";
import { canAccessStorefront, type Principal } from "./roles";

export type StorefrontRef = number | string;

const VIEW_FIELDS = Object.keys(storefrontViewSchema.entries) as (keyof StorefrontView)[];

/** The API's view of a storefront, fields in the contract's order: credentials reduced to whether each is set and its last 4 characters. */
export function storefrontView(storefront: StorefrontItem, stats: StorefrontStats): StorefrontView {
  const { credentials, ...fields } = storefront;
  const view: Record<string, unknown> = {
    ...cartSettingsOf(storefront),
    ...stockRulesOf(storefront),
    ...fields,
    connection_error: storefront.connection_status === "error" ? (storefront.connection_error ?? null) : null,
    credentials: Object.fromEntries(
      CREDENTIAL_FIELDS.map((field) => [field, { is_set: Boolean(credentials[field]), last4: credentials[field]?.last4 ?? null }]),
    ),
    product_count: stats.product_count,
    order_count: stats.order_count,
    total_revenue: formatMinorUnits(stats.revenue_minor[storefront.default_currency] ?? 0, storefront.default_currency),
  };
  return Object.fromEntries(VIEW_FIELDS.map((field) => [field, view[field] ?? null])) as StorefrontView;
}

async function encryptCredentials(
  storefrontId: number,
  current: StorefrontItem["credentials"],
  input: Partial<Record<CredentialField, string | null | undefined>>,
  justEncrypted: JustEncrypted,
): Promise<StorefrontItem["credentials"]> {
  const next = { ...current };
  for (const field of CREDENTIAL_FIELDS) {
    const value = input[field];
    if (value === undefined) continue;
    if (value === null) {
      delete next[field];
      continue;
    }
    const ciphertext = await credentialsCipher().encrypt(value, { storefront_id: String(storefrontId), field });
    justEncrypted.set(ciphertext, value);
    next[field] = { ciphertext, last4: value.slice(-4) } satisfies EncryptedCredential;
  }
  return next;
}

/** Plain fields of the input: everything but the credentials. */
function plainFields<T extends Partial<Record<CredentialField, unknown>>>(input: T): Omit<T, CredentialField> {
  const copy = { ...input };
  for (const field of CREDENTIAL_FIELDS) delete copy[field];
  return copy;
}

function duplicateCode(code: string): ConflictError {
  return new ConflictError("duplicate_storefront_code", `A storefront with storefront_code ${code} already exists`, [
    { field: "body.storefront_code", message: "is already used by another storefront" },
  ]);
}

function requireUnrestricted(principal: Principal): void {
  if (principal.storefrontIds !== null) throw new ForbiddenError("This API key is limited to some storefronts and cannot manage storefronts");
}

export async function createStorefront(input: CreateStorefrontInput, principal: Principal) {
  requireUnrestricted(principal);
  if (await getStorefrontIdByCode(input.storefront_code)) throw duplicateCode(input.storefront_code);
  const id = await nextId("storefront");
  const now = new Date().toISOString();
  const justEncrypted: JustEncrypted = new Map();
  const fields: StorefrontItem = {
    platform_url: null,
    api_endpoint: null,
    order_prefix: null,
    created_by: null,
    last_product_sync_at: null,
    last_order_sync_at: null,
    last_inventory_sync_at: null,
    last_customer_sync_at: null,
    ...plainFields(input),
    is_connected: input.is_connected ?? false,
    storefront_id: id,
    credentials: await encryptCredentials(id, {}, input, justEncrypted),
    created_at: now,
    updated_at: now,
  } as StorefrontItem;
  const storefront = withOutcome(fields, isTestable(fields, input) ? await testConnection(fields, justEncrypted) : undefined);
  try {
    await insertStorefront(storefront);
  } catch (error) {
    if (error instanceof DuplicateStorefrontCodeError) throw duplicateCode(input.storefront_code);
    throw error;
  }
  return storefrontView(storefront, { product_count: 0, order_count: 0, revenue_minor: {} });
}

/** Finds a storefront by id or storefront_code, and checks the caller may touch it. */
export async function findStorefront(ref: StorefrontRef, principal: Principal): Promise<StorefrontItem> {
  const id = typeof ref === "number" ? ref : await getStorefrontIdByCode(ref);
  const storefront = id === undefined ? undefined : await getStorefront(id);
  if (!storefront) throw new NotFoundError("Storefront", ref);
  if (!canAccessStorefront(principal, storefront.storefront_id)) {
    throw new ForbiddenError(`This API key may not access storefront ${ref}`);
  }
  return storefront;
}

export async function readStorefront(ref: StorefrontRef, principal: Principal) {
  const storefront = await findStorefront(ref, principal);
  const stats = await getStorefrontStats([storefront.storefront_id]);
  return storefrontView(storefront, stats.get(storefront.storefront_id)!);
}

export async function listStorefrontViews(
  query: { platform_type?: string; is_active?: boolean; limit: number; cursor?: string },
  principal: Principal,
) {
  const page = await listStorefronts(query.limit, decodeCursor(query.cursor));
  const visible = page.storefronts.filter(
    (storefront) =>
      canAccessStorefront(principal, storefront.storefront_id) &&
      (query.platform_type === undefined || storefront.platform_type === query.platform_type) &&
      (query.is_active === undefined || storefront.is_active === query.is_active),
  );
  const stats = await getStorefrontStats(visible.map((storefront) => storefront.storefront_id));
  return {
    storefronts: visible.map((storefront) => storefrontView(storefront, stats.get(storefront.storefront_id)!)),
    next_cursor: encodeCursor(page.lastKey),
  };
}

export async function updateStorefront(ref: StorefrontRef, input: UpdateStorefrontInput, principal: Principal) {
  requireUnrestricted(principal);
  const current = await findStorefront(ref, principal);
  const justEncrypted: JustEncrypted = new Map();
  const changed: StorefrontItem = {
    ...current,
    ...(plainFields(input) as Partial<StorefrontItem>),
    credentials: await encryptCredentials(current.storefront_id, current.credentials, input, justEncrypted),
  };
  const tested = changesConnection(current, input) && isTestable(changed, input) ? await testConnection(changed, justEncrypted) : undefined;
  // Stamped after the test, which may take a few seconds.
  const next: StorefrontItem = { ...withOutcome(changed, tested), updated_at: laterThan(current.updated_at) };
  const replacedSecret = current.credentials.webhook_secret;
  if (input.webhook_secret === null) delete next.previous_webhook_secret;
  else if (input.webhook_secret !== undefined && replacedSecret) next.previous_webhook_secret = { ...replacedSecret, retired_at: next.updated_at };
  try {
    if (!(await replaceStorefront(current, next))) {
      throw new ConflictError("concurrent_update", "The storefront was changed by another request; read it again and retry");
    }
  } catch (error) {
    if (error instanceof DuplicateStorefrontCodeError) throw duplicateCode(next.storefront_code);
    throw error;
  }
  const stats = await getStorefrontStats([next.storefront_id]);
  return storefrontView(next, stats.get(next.storefront_id)!);
}

export async function deleteStorefront(ref: StorefrontRef, principal: Principal): Promise<void> {
  requireUnrestricted(principal);
  const storefront = await findStorefront(ref, principal);
  const stats = (await getStorefrontStats([storefront.storefront_id])).get(storefront.storefront_id)!;
  if (stats.product_count > 0 || stats.order_count > 0) {
    throw new ConflictError(
      "storefront_in_use",
      `Storefront ${storefront.storefront_code} has ${stats.product_count} products and ${stats.order_count} orders; set is_active to false instead`,
    );
  }
  await deleteStorefrontRecords(storefront);
}

/** A timestamp strictly later than `previous`, so that every update changes the optimistic-lock value. */
function laterThan(previous: string): string {
  const now = Date.now();
  const floor = Date.parse(previous) + 1;
  return new Date(Math.max(now, floor)).toISOString();
}
