import { ConflictError, NotFoundError } from "../http/errors";
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
import { requireKnownStorefront, requireStorefrontAccess } from "./catalog-access";
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

export async function listCustomers(query: ListCustomersQuery, principal: Principal) {
  await requireKnownStorefront(principal, query.storefront_id, "query.storefront_id");
  if (query.email !== undefined) {
    // An email names at most one customer of a storefront: its lookup item answers directly.
    const id = await getCustomerIdByEmail(query.storefront_id, query.email);
    const customer = id === undefined ? undefined : await getCustomer(id);
    const matches = customer && (query.customer_status === undefined || customer.customer_status === query.customer_status) ? [customerView(customer)] : [];
    return { customers: matches, next_cursor: null };
  }
  const customers: CustomerRecord[] = [];
  let startKey = decodeCursor(query.cursor);
  // A status filter may leave pages short of matches: read on until the page is full or the storefront ends.
  do {
    const page = await listStorefrontCustomers(query.storefront_id, query.limit - customers.length, startKey);
    customers.push(...page.customers.filter((customer) => query.customer_status === undefined || customer.customer_status === query.customer_status));
    startKey = page.lastKey;
  } while (startKey && customers.length < query.limit);
  return { customers: customers.map(customerView), next_cursor: encodeCursor(startKey) };
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
