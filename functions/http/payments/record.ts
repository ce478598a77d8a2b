import { httpRoute, reply } from "../../../shared/http/handler";
import { paymentOperations } from "../../../shared/schemas/payment";
import { recordPayment } from "../../../shared/domain/payments";

export const handler = httpRoute(paymentOperations.record, async ({ params, body, principal }) =>
  reply(201, { message: "Payment recorded", ...(await recordPayment(params.id, body, principal)) }),
);
