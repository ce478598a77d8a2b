import * as v from "valibot";
import { idParam, intParam, optionalText, positiveId, text } from "./common";
import { defineOperation } from "../api/operation";

export const CUSTOMER_STATUSES = ["active", "inactive", "blocked"] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

const status = v.picklist(CUSTOMER_STATUSES, `must be one of ${CUSTOMER_STATUSES.join(", ")}`);

export const listCustomersQuery = v.object({
  storefront_id: v.optional(idParam),
  email: v.optional(v.pipe(v.string(), v.trim(), v.toLowerCase(), v.minLength(3, "must be an email address"))),
  customer_status: v.optional(status),
  limit: v.optional(intParam(1, 200), "50"),
  cursor: v.optional(v.string()),
});
export type ListCustomersQuery = v.InferOutput<typeof listCustomersQuery>;

export const customerParams = v.object({ id: idParam });

export const updateCustomerBody = v.pipe(
  v.object({
    erp_customer_id: v.optional(v.nullable(positiveId)),
    customer_status: v.optional(status),
    tags: v.optional(v.pipe(v.array(text(100, 1), "must be a list"), v.maxLength(50, "must have at most 50 tags"))),
    notes: optionalText(5000),
    accepts_marketing: v.optional(v.boolean("must be true or false")),
  }),
  v.check((body) => Object.values(body).some((value) => value !== undefined), "must change at least one field"),
);
export type UpdateCustomerInput = v.InferOutput<typeof updateCustomerBody>;

const nullableText = v.nullable(v.string());

export const customerView = v.object({
  ecommerce_customer_id: v.number(),
  storefront_id: v.number(),
  external_customer_id: nullableText,
  erp_customer_id: v.nullable(v.number()),
  email: v.string(),
  first_name: nullableText,
  last_name: nullableText,
  phone: nullableText,
  total_orders: v.number(),
  total_spent: v.pipe(v.string(), v.description("Decimal amount in the customer's currency")),
  average_order_value: v.string(),
  currency: v.string(),
  first_order_date: nullableText,
  last_order_date: nullableText,
  accepts_marketing: v.boolean(),
  marketing_opt_in_date: nullableText,
  customer_status: status,
  tags: v.array(v.string()),
  notes: nullableText,
  created_at: v.string(),
  updated_at: v.string(),
});

const tags = ["Customers"];
const itemPath = "/api/ecommerce/customers/{id}";

export const customerOperations = {
  list: defineOperation({
    method: "GET", path: "/api/ecommerce/customers", tags, role: "viewer",
    summary: "List customers of one storefront or of every storefront the key may read (by email, by status), paged with next_cursor",
    query: listCustomersQuery,
    responses: { 200: { description: "Customers", schema: v.object({ customers: v.array(customerView), next_cursor: nullableText }) } },
  }),
  get: defineOperation({
    method: "GET", path: itemPath, tags, role: "viewer",
    summary: "Read a customer with their most recent orders",
    params: customerParams,
    responses: { 200: { description: "The customer", schema: v.object({ customer: v.object({ ...customerView.entries, recent_orders: v.array(v.looseObject({})) }) }) } },
  }),
  update: defineOperation({
    method: "PUT", path: itemPath, tags, role: "operator",
    summary: "Link an ERP customer id, set the status, tags, notes and marketing consent",
    params: customerParams,
    body: updateCustomerBody,
    responses: { 200: { description: "Updated", schema: v.object({ message: v.string(), customer: customerView }) } },
  }),
};
