/**
 * SES bounce and complaint events as they arrive in an SQS message body:
 * inside an SNS envelope, or raw (SNS raw message delivery). Both SES
 * formats are read: event publishing (`eventType`, with `mail.tags`) and
 * identity notifications (`notificationType`, no tags).
 */

export type EmailEvent =
  | { kind: "bounce"; permanent: boolean; recipients: string[]; messageId: string; tags: Record<string, string[]> }
  | { kind: "complaint"; recipients: string[]; messageId: string; tags: Record<string, string[]> }
  | { kind: "other"; type: string; messageId?: string };

export class UnreadableEmailEventError extends Error {
  override name = "UnreadableEmailEventError";
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseObject(text: string, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UnreadableEmailEventError(`${what} is not JSON`);
  }
  if (!isObject(value)) throw new UnreadableEmailEventError(`${what} is not a JSON object`);
  return value;
}

/** Addresses of `list[].emailAddress`, lower-cased; at least one. */
function recipients(list: unknown, field: string): string[] {
  if (!Array.isArray(list) || list.length === 0) throw new UnreadableEmailEventError(`${field} is missing`);
  return list.map((recipient) => {
    const address: unknown = isObject(recipient) ? recipient.emailAddress : undefined;
    if (typeof address !== "string" || address.trim() === "") throw new UnreadableEmailEventError(`${field}[].emailAddress is missing`);
    return address.trim().toLowerCase();
  });
}

/** `mail.tags`, keeping only string-array values. */
function tags(value: unknown): Record<string, string[]> {
  if (!isObject(value)) return {};
  const entries = Object.entries(value).filter((entry): entry is [string, string[]] => Array.isArray(entry[1]) && entry[1].every((item) => typeof item === "string"));
  return Object.fromEntries(entries.map(([name, values]) => [name, [...values]]));
}

function messageIdOf(mail: unknown): string | undefined {
  const id = isObject(mail) ? mail.messageId : undefined;
  return typeof id === "string" && id !== "" ? id : undefined;
}

function sesEvent(event: JsonObject): EmailEvent {
  const type = event.eventType ?? event.notificationType;
  if (typeof type !== "string" || type === "") throw new UnreadableEmailEventError("neither eventType nor notificationType is set");
  const messageId = messageIdOf(event.mail);
  if (type !== "Bounce" && type !== "Complaint") return messageId === undefined ? { kind: "other", type } : { kind: "other", type, messageId };

  if (messageId === undefined) throw new UnreadableEmailEventError("mail.messageId is missing");
  const mailTags = tags(isObject(event.mail) ? event.mail.tags : undefined);
  if (type === "Complaint") {
    const complaint = isObject(event.complaint) ? event.complaint : {};
    return { kind: "complaint", recipients: recipients(complaint.complainedRecipients, "complaint.complainedRecipients"), messageId, tags: mailTags };
  }
  const bounce = isObject(event.bounce) ? event.bounce : {};
  if (typeof bounce.bounceType !== "string") throw new UnreadableEmailEventError("bounce.bounceType is missing");
  return {
    kind: "bounce",
    permanent: bounce.bounceType === "Permanent",
    recipients: recipients(bounce.bouncedRecipients, "bounce.bouncedRecipients"),
    messageId,
    tags: mailTags,
  };
}

/** Throws UnreadableEmailEventError when the body is not an SES event. */
export function parseSesEvent(sqsBody: string): EmailEvent {
  const body = parseObject(sqsBody, "message body");
  if (typeof body.Type === "string" && typeof body.Message === "string") {
    // SNS envelope; subscription confirmations and the like carry no SES event.
    if (body.Type !== "Notification") return { kind: "other", type: body.Type };
    return sesEvent(parseObject(body.Message, "SNS Message"));
  }
  return sesEvent(body);
}
