/**
 * A storefront's customer as the hub keeps it. Statistics are kept by the
 * customer-stats stream processor; amounts are minor units of `currency`
 * (the storefront's default currency when the customer was created).
 */
import type { CustomerStatus, UpdateCustomerInput, customerView as customerViewSchema } from "../schemas/customer";
import { formatMinorUnits } from "./money";
import { definedOnly, inOrder, type AllFieldsListed } from "./record-fields";

export interface CustomerRecord {
  ecommerce_customer_id: number;
  storefront_id: number;
  external_customer_id: string | null;
  erp_customer_id: number | null;
  /** As the platform sent it; lookups use it lower-cased. */
  email: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  currency: string;
  total_orders: number;
  total_spent_minor: number;
  first_order_date: string | null;
  last_order_date: string | null;
  accepts_marketing: boolean;
  marketing_opt_in_date: string | null;
  customer_status: CustomerStatus;
  tags: string[];
  notes: string | null;
  /** The platform's updated_at of the customer update applied last (customers/* webhooks); absent until one is. */
  platform_updated_at?: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface NewCustomer {
  ecommerce_customer_id: number;
  storefront_id: number;
  external_customer_id: string | null;
  email: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  currency: string;
}

export function newCustomerRecord(identity: NewCustomer, now: string): CustomerRecord {
  return {
    ...identity,
    erp_customer_id: null,
    total_orders: 0,
    total_spent_minor: 0,
    first_order_date: null,
    last_order_date: null,
    accepts_marketing: false,
    marketing_opt_in_date: null,
    customer_status: "active",
    tags: [],
    notes: null,
    created_at: now,
    updated_at: now,
    version: 1,
  };
}

/** Applies an update; giving marketing consent records when, withdrawing it clears that date. */
export function updatedCustomer(current: CustomerRecord, input: UpdateCustomerInput, now: string): CustomerRecord {
  const next: CustomerRecord = { ...current, ...definedOnly(input), updated_at: now, version: current.version + 1 };
  if (input.accepts_marketing === true && !current.accepts_marketing) next.marketing_opt_in_date = now;
  if (input.accepts_marketing === false) next.marketing_opt_in_date = null;
  return next;
}

/** The average of whole minor units, rounded half up: exact for any number of orders. */
export function averageMinor(totalMinor: number, count: number): number {
  if (count === 0) return 0;
  const total = BigInt(totalMinor);
  const n = BigInt(count);
  return Number((2n * total + n) / (2n * n));
}

/**
 * The fields of the API's view, in the order of the customerView schema.
 * Listed here rather than read from the schema so that the functions showing
 * customers (the order routes) do not bundle the customer schemas; the type
 * below fails to compile when the two disagree on the fields, and a unit test
 * checks the order.
 */
export const CUSTOMER_VIEW_FIELDS = [
  "ecommerce_customer_id",
  "storefront_id",
  "external_customer_id",
  "erp_customer_id",
  "email",
  "first_name",
  "last_name",
  "phone",
  "total_orders",
  "total_spent",
  "average_order_value",
  "currency",
  "first_order_date",
  "last_order_date",
  "accepts_marketing",
  "marketing_opt_in_date",
  "customer_status",
  "tags",
  "notes",
  "created_at",
  "updated_at",
] as const satisfies readonly CustomerViewField[];

type CustomerViewField = keyof (typeof customerViewSchema)["entries"];
const everyFieldListed: AllFieldsListed<typeof customerViewSchema, typeof CUSTOMER_VIEW_FIELDS> = true;

export function customerView(customer: CustomerRecord) {
  const { total_spent_minor, version: _lock, ...fields } = customer;
  return inOrder(CUSTOMER_VIEW_FIELDS, {
    ...fields,
    total_spent: formatMinorUnits(total_spent_minor, customer.currency),
    average_order_value: formatMinorUnits(averageMinor(total_spent_minor, customer.total_orders), customer.currency),
  });
}
