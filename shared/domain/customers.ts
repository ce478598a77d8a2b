import { BadRequestError, ConflictError, NotFoundError } from "../http/errors";
import { nextId } from "../data/sequence";
import { decodeCursor, encodeCursor } from "../data/cursor";
import {
  claimExternalCustomerId,
  findCustomerIds,
  getCustomer,
  getCustomerIdByEmail,
  insertCustomer,
  listStorefrontCustomers,
  customerOrderSummaries,
  writeCustomer,
} from "../data/customers";
import type { ListCustomersQuery, UpdateCustomerInput } from "../schemas/customer";
import { requireStorefrontAccess } from "./catalog-access";
import { storefrontsInScope } from "./storefront-scope";
import { customerView, newCustomerRecord, updatedCustomer, type CustomerRecord } from "./customer-records";
import { formatMinorUnits } from "./money";
import type { Principal } from "./roles";

const MAX_ATTEMPTS = 5;
const RECENT_ORDERS = 10;

export interface OrderCustomer {
  storefrontId: number;
  externalCustomerId: string | undefined;
  email: string;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  currency: string;
}

/**
 * The customer of an imported order: found by the platform's customer id,
 * else by email within the storefront, else created. Two imports racing to
 * create the same customer end with one: the loser finds the winner's claim.
 */
export async function resolveOrderCustomer(customer: OrderCustomer): Promise<number> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const found = await findCustomerIds(customer.storefrontId, customer.externalCustomerId, customer.email);
    if (found.byExternalId !== undefined) return found.byExternalId;
    if (found.byEmail !== undefined) {
      if (customer.externalCustomerId) await claimExternalCustomerId(customer.storefrontId, customer.externalCustomerId, found.byEmail);
      return found.byEmail;
    }
    const record = newCustomerRecord(
      {
        ecommerce_customer_id: await nextId("customer"),
        storefront_id: customer.storefrontId,
        external_customer_id: customer.externalCustomerId ?? null,
        email: customer.email,
        first_name: customer.firstName,
        last_name: customer.lastName,
        phone: customer.phone,
        currency: customer.currency,
      },
      new Date().toISOString(),
    );
    if (await insertCustomer(record)) return record.ecommerce_customer_id;
  }
  throw new ConflictError("concurrent_update", `The customer ${customer.email} kept changing while this order was imported; retry`);
}

/**
 * Customers of the storefront named, else of every storefront the key may
 * read, one storefront after the other in id order. The cursor names the
 * storefront and where in it the next page starts.
 */
export async function listCustomers(query: ListCustomersQuery, principal: Principal) {
  const scope = await storefrontsInScope(query.storefront_id, principal);
  if (query.email !== undefined) {
    // An email names at most one customer per storefront: its lookup items answer directly.
    const ids = await Promise.all(scope.map((storefront) => getCustomerIdByEmail(storefront.storefront_id, query.email!)));
    const customers = await Promise.all(ids.flatMap((id) => (id === undefined ? [] : [getCustomer(id)])));
    const matches = customers.filter((customer): customer is CustomerRecord => customer !== undefined && (query.customer_status === undefined || customer.customer_status === query.customer_status));
    return { customers: matches.map(customerView), next_cursor: null };
  }
  const cursor = decodeCursor(query.cursor) as { s?: unknown; k?: Record<string, unknown> } | undefined;
  let index = cursor === undefined ? 0 : scope.findIndex((storefront) => storefront.storefront_id === cursor.s);
  if (index < 0) throw new BadRequestError("invalid_cursor", "The cursor is not one this API returned for these parameters", [{ field: "query.cursor", message: "is not a valid cursor" }]);
  let startKey = cursor?.k;
  const customers: CustomerRecord[] = [];
  // A status filter may leave pages short of matches: read on until the page is full or the scope ends.
  while (index < scope.length && customers.length < query.limit) {
    const page = await listStorefrontCustomers(scope[index]!.storefront_id, query.limit - customers.length, startKey);
    customers.push(...page.customers.filter((customer) => query.customer_status === undefined || customer.customer_status === query.customer_status));
    startKey = page.lastKey;
    if (!startKey) index += 1;
  }
  const next = index < scope.length ? encodeCursor({ s: scope[index]!.storefront_id, ...(startKey ? { k: startKey } : {}) }) : null;
  return { customers: customers.map(customerView), next_cursor: next };
}

async function readAccessibleCustomer(id: number, principal: Principal, consistentRead = false): Promise<CustomerRecord> {
  const customer = await getCustomer(id, { consistentRead });
  if (!customer) throw new NotFoundError("Customer", id);
  requireStorefrontAccess(principal, customer.storefront_id);
  return customer;
}

export async function readCustomer(id: number, principal: Principal) {
  const customer = await readAccessibleCustomer(id, principal);
  const summaries = await customerOrderSummaries(id);
  const recent = summaries.sort((a, b) => b.order_date.localeCompare(a.order_date) || b.ecommerce_order_id - a.ecommerce_order_id).slice(0, RECENT_ORDERS);
  return {
    ...customerView(customer),
    recent_orders: recent.map((summary) => ({
      ecommerce_order_id: summary.ecommerce_order_id,
      external_order_number: summary.external_order_number,
      order_date: summary.order_date,
      order_status: summary.order_status,
      payment_status: summary.payment_status,
      total_amount: formatMinorUnits(summary.total_minor, summary.currency),
      currency: summary.currency,
    })),
  };
}

export async function updateCustomer(id: number, input: UpdateCustomerInput, principal: Principal) {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await readAccessibleCustomer(id, principal, true);
    const next = updatedCustomer(current, input, new Date().toISOString());
    if (await writeCustomer(next, current.version)) return customerView(next);
  }
  throw new ConflictError("concurrent_update", `Customer ${id} kept changing while this request tried to write it; retry`);
}

export interface PlatformCustomer extends Omit<OrderCustomer, "externalCustomerId"> {
  externalCustomerId: string;
  acceptsMarketing?: boolean;
  tags?: string[];
  notes?: string | null;
  /** The platform's last-modified time of this customer; an update older than the one applied last changes nothing. */
  updatedAt?: string;
}

/**
 * A customer as the platform sends it (a customers/create or customers/update
 * webhook): found or created like an order's customer, then their name,
 * phone, consent, tags and notes set to the platform's. Writes nothing when
 * they already match, or when the update is older (platform updated_at) than
 * the platform update applied last.
 */
export async function applyPlatformCustomer(customer: PlatformCustomer): Promise<{ customerId: number; changed: boolean; stale?: boolean }> {
  const customerId = await resolveOrderCustomer(customer);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await getCustomer(customerId, { consistentRead: true });
    if (!current) break;
    if (customer.updatedAt && current.platform_updated_at && customer.updatedAt < current.platform_updated_at) return { customerId, changed: false, stale: true };
    const now = new Date().toISOString();
    const next: CustomerRecord = {
      ...updatedCustomer(current, { accepts_marketing: customer.acceptsMarketing, tags: customer.tags, notes: customer.notes ?? undefined }, now),
      first_name: customer.firstName ?? current.first_name,
      last_name: customer.lastName ?? current.last_name,
      phone: customer.phone ?? current.phone,
      platform_updated_at: customer.updatedAt ?? current.platform_updated_at ?? null,
    };
    const same = (["first_name", "last_name", "phone", "accepts_marketing", "tags", "notes", "platform_updated_at"] as const).every((field) => JSON.stringify(next[field]) === JSON.stringify(current[field]));
    if (same) return { customerId, changed: false };
    if (await writeCustomer(next, current.version)) return { customerId, changed: true };
  }
  throw new ConflictError("concurrent_update", `Customer ${customerId} kept changing while the platform's update was applied; retry`);
}
