import { BadRequestError } from "../http/errors";

/** Opaque pagination cursors: the base64url of DynamoDB's LastEvaluatedKey. */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | null {
  return lastKey ? Buffer.from(JSON.stringify(lastKey)).toString("base64url") : null;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {
    // fall through
  }
  throw new BadRequestError("invalid_cursor", "The cursor is not one this API returned", [{ field: "query.cursor", message: "is not a valid cursor" }]);
}
