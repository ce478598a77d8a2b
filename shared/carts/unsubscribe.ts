/** The unsubscribe link of recovery emails: a signed token naming the storefront and address. */
import { BadRequestError } from "../http/errors";
import { suppressAddress } from "../data/carts";
import { emailSigningKey } from "./signing-key";
import { verifyUnsubscribeToken } from "./unsubscribe-token";

const invalidToken = () => new BadRequestError("invalid_token", "This unsubscribe link is not valid", [{ field: "query.token", message: "is not a valid unsubscribe token" }]);

/** Adds the token's address to its storefront's suppression list; returns the address. */
export async function unsubscribe(token: string): Promise<string> {
  const key = await emailSigningKey({ create: false });
  const subject = key && verifyUnsubscribeToken(key, token);
  if (!subject) throw invalidToken();
  await suppressAddress(subject.storefront_id, subject.email, "unsubscribed", new Date().toISOString());
  return subject.email;
}
