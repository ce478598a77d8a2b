import type * as v from "valibot";
import type { Role } from "../domain/roles";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * One HTTP operation of the contract: its route, who may call it, and the
 * schemas that validate its input. The handler validates with these, the
 * wiring table routes with them, and the OpenAPI document is generated from them.
 */
export interface Operation {
  method: HttpMethod;
  path: string;
  summary: string;
  tags: string[];
  /** The least role an API key needs; `undefined` for public routes (webhooks, the OpenAPI document). */
  role?: Role;
  body?: v.GenericSchema;
  query?: v.GenericSchema;
  params?: v.GenericSchema;
  /** Success responses by status code. */
  responses: Record<number, { description: string; schema?: v.GenericSchema }>;
  bodyLimitBytes?: number;
}

export const defineOperation = <O extends Operation>(operation: O): O => operation;
