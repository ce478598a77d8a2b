import { htmlReply, httpRoute } from "../../../shared/http/handler";
import { cartOperations } from "../../../shared/schemas/cart";
import { unsubscribe } from "../../../shared/carts/unsubscribe";

const page = (email: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Unsubscribed</title></head><body><p>${email.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)} will get no more cart reminders from this store.</p></body></html>`;

/** Opened from the email in a browser. */
export const handler = httpRoute(cartOperations.unsubscribe, async ({ query }) => htmlReply(200, page(await unsubscribe(query.token))));
