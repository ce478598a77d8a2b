import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from "./errors";

/** The largest JSON body any route accepts. API Gateway allows more; we do not need it. */
export const MAX_BODY_BYTES = 256 * 1024;

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The raw request body as bytes, exactly as the client sent it. */
export function rawBody(event: APIGatewayProxyEventV2): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8");
}

/** Reads a JSON body: 413 over the limit, 415 when not JSON, 400 when it does not parse. */
export function readJsonBody(event: APIGatewayProxyEventV2, limitBytes = MAX_BODY_BYTES): unknown {
  const bytes = rawBody(event);
  if (bytes.length > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const contentType = header(event, "content-type");
  if (bytes.length > 0 && !isJsonContentType(contentType)) throw new UnsupportedMediaTypeError();
  if (bytes.length === 0) throw new BadRequestError("invalid_json", "The request body must be a JSON object");
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new BadRequestError("invalid_json", "The request body is not valid JSON");
  }
}

function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  return mediaType === "application/json" || mediaType.endsWith("+json");
}
