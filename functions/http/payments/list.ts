import { httpRoute, reply } from "../../../shared/http/handler";
import { paymentOperations } from "../../../shared/schemas/payment";
import { listPayments } from "../../../shared/domain/payments";

export const handler = httpRoute(paymentOperations.list, async ({ params, principal }) => reply(200, await listPayments(params.id, principal)));
