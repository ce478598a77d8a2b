import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import type { Operation } from "./operation";

type JsonSchema = Record<string, unknown>;

const errorSchema: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", examples: ["validation_error"] },
        message: { type: "string" },
        details: { description: "For validation errors: the offending fields, as [{ field, message }]" },
      },
    },
  },
};

const errorResponses = (operation: Operation): Record<string, unknown> => {
  const ref = { content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
  const out: Record<string, unknown> = { "500": { description: "Internal error (no details are given)", ...ref } };
  if (operation.body || operation.query || operation.params) out["400"] = { description: "Invalid input; `details` names each field", ...ref };
  if (operation.role) {
    out["401"] = { description: "Missing, unknown or revoked API key", ...ref };
    out["403"] = { description: "The key's role or storefronts do not allow this", ...ref };
  }
  if (operation.params) out["404"] = { description: "Not found", ...ref };
  if (operation.body) {
    out["413"] = { description: "Body too large", ...ref };
    out["415"] = { description: "Body is not JSON", ...ref };
  }
  if (operation.method !== "GET") out["409"] = { description: "Conflicts with the current state", ...ref };
  return out;
};

function jsonSchema(schema: v.GenericSchema, typeMode: "input" | "output"): JsonSchema {
  const { $schema: _ignored, ...rest } = toJsonSchema(schema, { target: "draft-2020-12", typeMode, errorMode: "ignore" }) as JsonSchema;
  return rest;
}

function parameters(schema: v.GenericSchema | undefined, location: "query" | "path") {
  if (!schema) return [];
  const object = jsonSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || (object.required ?? []).includes(name),
    schema: property,
  }));
}

/** Builds the OpenAPI 3.1 document from the operations: the same schemas that validate requests. */
export function buildOpenApiDocument(operations: Operation[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const item = (paths[operation.path] ??= {});
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(operation.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema ? { content: { "application/json": { schema: jsonSchema(response.schema, "output") } } } : {}),
      };
    }
    item[operation.method.toLowerCase()] = {
      summary: operation.summary,
      tags: operation.tags,
      operationId: `${operation.method.toLowerCase()} ${operation.path}`,
      ...(operation.role ? { security: [{ apiKey: [] }], "x-required-role": operation.role } : { security: [] }),
      parameters: [...parameters(operation.params, "path"), ...parameters(operation.query, "query")],
      ...(operation.body
        ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(operation.body, "input") } } } }
        : {}),
      responses: { ...responses, ...errorResponses(operation) },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      ...info,
      description:
        "Ocean Commerce Hub keeps the Ocean ERP and its storefronts in step. Send `Authorization: Bearer <API key>`; roles are viewer < operator < admin.",
    },
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key issued with `npm run apikey -- create`" } },
    },
  };
}
