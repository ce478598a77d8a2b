import { defineOperation } from "./operation";

export const openApiOperation = defineOperation({
  method: "GET",
  path: "/openapi.json",
  summary: "This document: the hub's HTTP API as OpenAPI 3.1",
  tags: ["Meta"],
  responses: { 200: { description: "The OpenAPI document" } },
});
