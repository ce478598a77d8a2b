import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { SQSEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { parseSesEvent, UnreadableEmailEventError } from "../../shared/carts/ses-events";

const EVENTS = resolve(import.meta.dirname, "../../events/aws");
const SES_MESSAGE_ID = "0100019b7a3c5e1f-6c2d8a4e-3b9f-4e21-9d7a-1f5c2b8e4a60-000000";

function sqsEvent(file: string): SQSEvent {
  return JSON.parse(readFileSync(resolve(EVENTS, file), "utf8")) as SQSEvent;
}

/** The SES event inside the SNS envelope of the sample's first record. */
function innerEvent(file: string): Record<string, unknown> {
  const envelope = JSON.parse(sqsEvent(file).Records[0]!.body) as { Message: string };
  return JSON.parse(envelope.Message) as Record<string, unknown>;
}

describe("SES events in SQS bodies", () => {
  it("reads the bounce sample (SNS envelope, event publishing)", () => {
    const records = sqsEvent("ses-bounce-sqs.json").Records;
    expect(records).toHaveLength(1);
    const event = parseSesEvent(records[0]!.body);
    expect(event).toEqual({
      kind: "bounce",
      permanent: true,
      recipients: ["shopper@example.com"],
      messageId: SES_MESSAGE_ID,
      tags: expect.objectContaining({ storefront_id: ["1"], "ses:configuration-set": ["ocean-commerce-hub-recovery"] }),
    });
  });

  it("reads the complaint sample", () => {
    const records = sqsEvent("ses-complaint-sqs.json").Records;
    expect(records.map((record) => parseSesEvent(record.body))).toEqual([
      { kind: "complaint", recipients: ["shopper@example.com"], messageId: SES_MESSAGE_ID, tags: expect.objectContaining({ storefront_id: ["1"] }) },
    ]);
  });

  it("reads raw message delivery", () => {
    expect(parseSesEvent(JSON.stringify(innerEvent("ses-bounce-sqs.json")))).toMatchObject({
      kind: "bounce",
      permanent: true,
      recipients: ["shopper@example.com"],
      tags: { storefront_id: ["1"] },
    });
    expect(parseSesEvent(JSON.stringify(innerEvent("ses-complaint-sqs.json")))).toMatchObject({ kind: "complaint", recipients: ["shopper@example.com"] });
  });

  it("reads identity notifications, which carry no tags", () => {
    const bounce = {
      notificationType: "Bounce",
      bounce: {
        bounceType: "Permanent",
        bounceSubType: "General",
        bouncedRecipients: [{ emailAddress: "Jane@Example.com", status: "5.1.1", action: "failed" }, { emailAddress: "richard@example.com" }],
        timestamp: "2026-01-01T12:00:02.000Z",
        feedbackId: "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa068a-000000",
      },
      mail: { timestamp: "2026-01-01T12:00:00.000Z", source: "shop@example.com", messageId: "id-1", destination: ["jane@example.com", "richard@example.com"] },
    };
    expect(parseSesEvent(JSON.stringify(bounce))).toEqual({ kind: "bounce", permanent: true, recipients: ["jane@example.com", "richard@example.com"], messageId: "id-1", tags: {} });

    const complaint = {
      notificationType: "Complaint",
      complaint: { complainedRecipients: [{ emailAddress: "RICHARD@example.com" }], timestamp: "2026-01-01T13:00:00.000Z", feedbackId: "f-2" },
      mail: { messageId: "id-2", destination: ["richard@example.com"] },
    };
    const envelope = { Type: "Notification", MessageId: "m-2", TopicArn: "arn:aws:sns:us-east-1:000000000000:t", Message: JSON.stringify(complaint), Timestamp: "2026-01-01T13:00:01.000Z" };
    expect(parseSesEvent(JSON.stringify(envelope))).toEqual({ kind: "complaint", recipients: ["richard@example.com"], messageId: "id-2", tags: {} });
  });

  it("tells transient and undetermined bounces from permanent ones", () => {
    for (const bounceType of ["Transient", "Undetermined"]) {
      const event = innerEvent("ses-bounce-sqs.json");
      event.bounce = { ...(event.bounce as object), bounceType, bounceSubType: "MailboxFull" };
      expect(parseSesEvent(JSON.stringify(event))).toMatchObject({ kind: "bounce", permanent: false, recipients: ["shopper@example.com"] });
    }
  });

  it("reports other event types as other", () => {
    const delivery = { ...innerEvent("ses-bounce-sqs.json"), eventType: "Delivery", bounce: undefined, delivery: { recipients: ["shopper@example.com"] } };
    expect(parseSesEvent(JSON.stringify(delivery))).toEqual({ kind: "other", type: "Delivery", messageId: SES_MESSAGE_ID });
    expect(parseSesEvent(JSON.stringify({ notificationType: "Delivery", mail: { messageId: "id-3" }, delivery: {} }))).toEqual({ kind: "other", type: "Delivery", messageId: "id-3" });
    expect(parseSesEvent(JSON.stringify({ eventType: "Send", send: {} }))).toEqual({ kind: "other", type: "Send" });
    expect(parseSesEvent(JSON.stringify({ Type: "SubscriptionConfirmation", Message: "You have chosen to subscribe" }))).toEqual({ kind: "other", type: "SubscriptionConfirmation" });
  });

  it("refuses anything unreadable", () => {
    const bounce = innerEvent("ses-bounce-sqs.json");
    for (const body of [
      "",
      "not json",
      "[]",
      "null",
      JSON.stringify({ hello: "world" }),
      JSON.stringify({ Type: "Notification", Message: "not json" }),
      JSON.stringify({ ...bounce, bounce: { bounceType: "Permanent", bouncedRecipients: [] } }),
      JSON.stringify({ ...bounce, bounce: { bounceType: "Permanent", bouncedRecipients: [{ address: "x@example.com" }] } }),
      JSON.stringify({ ...bounce, bounce: { bouncedRecipients: [{ emailAddress: "x@example.com" }] } }),
      JSON.stringify({ ...bounce, mail: { tags: {} } }),
      JSON.stringify({ eventType: "Complaint", mail: { messageId: "id-4" } }),
    ]) {
      expect(() => parseSesEvent(body), body).toThrow(UnreadableEmailEventError);
    }
  });

  it("keeps only string-array tags", () => {
    const event = innerEvent("ses-bounce-sqs.json");
    (event.mail as Record<string, unknown>).tags = JSON.parse('{"storefront_id":["1"],"bad":"1","mixed":["a",2],"__proto__":["x"]}');
    const parsed = parseSesEvent(JSON.stringify(event));
    if (parsed.kind !== "bounce") throw new Error(`expected a bounce, got ${parsed.kind}`);
    expect(Object.entries(parsed.tags)).toEqual([["storefront_id", ["1"]], ["__proto__", ["x"]]]);
    expect(Object.getPrototypeOf(parsed.tags)).toBe(Object.prototype);
  });
});
