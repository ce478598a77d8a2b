/** The intake routes' shared step: the raw delivery out of the API Gateway event, size-checked. */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { MAX_BODY_BYTES, header, rawBody } from "../http/request";
import { PayloadTooLargeError } from "../http/errors";
import type { DeliverySource } from "../data/webhook-deliveries";
import type { IncomingDelivery } from "./intake";

export function incomingDelivery(event: APIGatewayProxyEventV2, source: DeliverySource, storefrontCode: string): IncomingDelivery {
  const body = rawBody(event);
  if (body.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  return { source, storefrontCode, body, header: (name) => header(event, name) };
}
