/**
 * Abandoned-cart recovery emails: subject, HTML and text parts, and the
 * one-click unsubscribe headers (RFC 8058). Pure: no I/O.
 */

export interface RecoveryEmailInput {
  /** One of RECOVERY_TEMPLATES (templates.ts). */
  template: string;
  /** 1 = first reminder (about 1 h after abandonment), 2 = next day, 3 = last reminder. */
  step: 1 | 2 | 3;
  storefrontName: string;
  /** Storefront language tag ("en", "en-US"), used for money formatting. */
  language: string;
  /** First name, if known. */
  customerName: string | null;
  /** ISO 4217 code. */
  currency: string;
  /** Amounts are exact decimal strings such as "1299.99". */
  items: { product_name: string; variant_name: string | null; quantity: number; unit_price: string; total_amount: string }[];
  subtotal: string;
  discount: string;
  shipping: string;
  tax: string;
  total: string;
  checkoutUrl: string | null;
  /** One-click unsubscribe link: an https URL carrying a token. */
  unsubscribeUrl: string;
  /** Optional unsubscribe address, offered as a mailto: alternative. */
  mailto?: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  headers: { name: string; value: string }[];
}

/** The wording of one email: plain text, escaped when put into HTML. */
interface Copy {
  subject: string;
  heading: string;
  message: string;
}

const CALL_TO_ACTION = "Complete your order";

type Step = RecoveryEmailInput["step"];

function defaultCopy(step: Step, store: string): Copy {
  switch (step) {
    case 1:
      return { subject: `You left something in your cart at ${store}`, heading: "Still thinking it over?", message: `Your cart at ${store} is saved. Pick up where you left off.` };
    case 2:
      return { subject: `Your cart at ${store} is waiting for you`, heading: "Your cart is waiting", message: `We kept the items in your cart at ${store} for you.` };
    case 3:
      return { subject: `Last reminder: your cart at ${store}`, heading: "Last reminder", message: `This is our last reminder about the items in your cart at ${store}.` };
  }
}

function abandonedCartTemplate1Copy(step: Step, store: string): Copy {
  switch (step) {
    case 1:
      return { subject: `Forgot something? Your ${store} cart is saved`, heading: "Forgot something?", message: `You left a few items behind at ${store}. They are still in your cart.` };
    case 2:
      return { subject: `Still interested? Your ${store} cart is still here`, heading: "Still interested?", message: `Your items at ${store} are still in your cart, ready when you are.` };
    case 3:
      return { subject: `Last chance: your ${store} cart`, heading: "Last chance", message: `This is the last email about your cart at ${store}. Complete your order before the items are gone.` };
  }
}

function recoveryV1Copy(step: Step, store: string): Copy {
  switch (step) {
    case 1:
      return { subject: `Complete your purchase at ${store}`, heading: "Your order is almost done", message: `You are one step away from completing your order at ${store}.` };
    case 2:
      return { subject: `Reminder: complete your purchase at ${store}`, heading: "A quick reminder", message: `Your order at ${store} is not complete yet. Your cart is saved.` };
    case 3:
      return { subject: `Final reminder: complete your purchase at ${store}`, heading: "Final reminder", message: `This is our final reminder about your order at ${store}.` };
  }
}

const COPY: Readonly<Record<string, (step: Step, store: string) => Copy>> = {
  abandoned_cart_template_1: abandonedCartTemplate1Copy,
  recovery_v1: recoveryV1Copy,
  default: defaultCopy,
};

function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** The URL, normalized, when it is an absolute http(s) URL; undefined otherwise. */
function httpUrl(value: string | null): string | undefined {
  if (value === null || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

function decimal(value: string, field: string): `${number}` {
  if (!DECIMAL.test(value)) throw new RangeError(`${field} is not a decimal string`);
  return value as `${number}`;
}

function isZero(value: string): boolean {
  return /^-?0+(\.0+)?$/.test(value);
}

function numberFormat(language: string, currency: string): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(language.replace(/_/g, "-"), { style: "currency", currency });
  } catch (error) {
    // An unusable language tag falls back to English; a bad currency still throws.
    if (!(error instanceof RangeError)) throw error;
    return new Intl.NumberFormat("en", { style: "currency", currency });
  }
}

interface Line {
  label: string;
  amount: string;
}

/** Totals lines; discount, shipping and tax only when not zero. */
function totalLines(input: RecoveryEmailInput, money: (value: string, field: string) => string): Line[] {
  const lines: Line[] = [{ label: "Subtotal", amount: money(input.subtotal, "subtotal") }];
  if (!isZero(decimal(input.discount, "discount"))) {
    const discount = input.discount.startsWith("-") ? input.discount : `-${input.discount}`;
    lines.push({ label: "Discount", amount: money(discount, "discount") });
  }
  if (!isZero(decimal(input.shipping, "shipping"))) lines.push({ label: "Shipping", amount: money(input.shipping, "shipping") });
  if (!isZero(decimal(input.tax, "tax"))) lines.push({ label: "Tax", amount: money(input.tax, "tax") });
  lines.push({ label: "Total", amount: money(input.total, "total") });
  return lines;
}

interface View {
  copy: Copy;
  greeting: string;
  store: string;
  items: { name: string; variant: string | null; quantity: number; amount: string }[];
  totals: Line[];
  checkoutUrl: string | undefined;
  unsubscribeUrl: string;
}

/** Shopper-supplied text on one line, so it cannot fake lines of the text part. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

function renderText(view: View): string {
  const lines = [view.greeting, "", view.copy.message, ""];
  for (const item of view.items) {
    const variant = item.variant === null ? "" : ` (${oneLine(item.variant)})`;
    lines.push(`- ${oneLine(item.name)}${variant} x ${item.quantity}: ${item.amount}`);
  }
  lines.push("");
  for (const line of view.totals) lines.push(`${line.label}: ${line.amount}`);
  if (view.checkoutUrl !== undefined) lines.push("", `${CALL_TO_ACTION}: ${view.checkoutUrl}`);
  lines.push("", `${view.store}`, `Unsubscribe: ${view.unsubscribeUrl}`);
  return lines.join("\n") + "\n";
}

function renderHtml(view: View): string {
  const e = escapeHtml;
  const items = view.items
    .map((item) => {
      const variant = item.variant === null ? "" : `<br><small>${e(item.variant)}</small>`;
      return `<tr><td>${e(item.name)}${variant}</td><td align="right">${e(String(item.quantity))}</td><td align="right">${e(item.amount)}</td></tr>`;
    })
    .join("\n");
  const totals = view.totals.map((line) => `<tr><td colspan="2">${e(line.label)}</td><td align="right">${e(line.amount)}</td></tr>`).join("\n");
  const button = view.checkoutUrl === undefined ? "" : `<p><a href="${e(view.checkoutUrl)}">${e(CALL_TO_ACTION)}</a></p>\n`;
  return [
    `<!DOCTYPE html>`,
    `<html><head><meta charset="utf-8"><title>${e(view.copy.subject)}</title></head><body>`,
    `<h1>${e(view.copy.heading)}</h1>`,
    `<p>${e(view.greeting)}</p>`,
    `<p>${e(view.copy.message)}</p>`,
    `<table>`,
    `<tr><th align="left">Item</th><th align="right">Qty</th><th align="right">Total</th></tr>`,
    items,
    totals,
    `</table>`,
    `${button}<p>${e(view.store)}</p>`,
    `<p><small><a href="${e(view.unsubscribeUrl)}">Unsubscribe</a></small></p>`,
    `</body></html>`,
  ].join("\n");
}

function unsubscribeHeaders(unsubscribeUrl: string, mailto: string | undefined): { name: string; value: string }[] {
  let value = `<${unsubscribeUrl}>`;
  if (mailto !== undefined) {
    const address = mailto.replace(/^mailto:/i, "");
    if (!/^[^\s<>,"@]+@[^\s<>,"@]+$/.test(address)) throw new RangeError("mailto is not an email address");
    value += `, <mailto:${address}>`;
  }
  return [
    { name: "List-Unsubscribe", value },
    { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
  ];
}

const isLoopback = (href: string) => ["127.0.0.1", "localhost", "[::1]"].includes(new URL(href).hostname);

/** Throws RangeError for an unknown template or step, a non-https unsubscribe URL (but on loopback), or a malformed amount or quantity. */
export function renderRecoveryEmail(input: RecoveryEmailInput): RenderedEmail {
  const copyFor = Object.hasOwn(COPY, input.template) ? COPY[input.template] : undefined;
  if (copyFor === undefined) throw new RangeError(`unknown recovery template: ${input.template}`);
  if (input.step !== 1 && input.step !== 2 && input.step !== 3) throw new RangeError(`unknown recovery step: ${String(input.step)}`);
  const unsubscribeUrl = httpUrl(input.unsubscribeUrl);
  // RFC 8058: the one-click URI must be https; plain http is allowed for the local stack on loopback only.
  if (unsubscribeUrl === undefined || !(unsubscribeUrl.startsWith("https:") || isLoopback(unsubscribeUrl))) throw new RangeError("unsubscribeUrl must be an https URL");

  const store = oneLine(input.storefrontName);
  const format = numberFormat(input.language, input.currency);
  const money = (value: string, field: string): string => format.format(decimal(value, field));
  const name = input.customerName === null ? "" : oneLine(input.customerName);
  const view: View = {
    copy: copyFor(input.step, store),
    greeting: name ? `Hi ${name},` : "Hi there,",
    store,
    items: input.items.map((item, index) => {
      if (!Number.isSafeInteger(item.quantity) || item.quantity < 1) throw new RangeError(`items[${index}].quantity is not a positive integer`);
      return { name: item.product_name, variant: item.variant_name, quantity: item.quantity, amount: money(item.total_amount, `items[${index}].total_amount`) };
    }),
    totals: totalLines(input, money),
    checkoutUrl: httpUrl(input.checkoutUrl),
    unsubscribeUrl,
  };
  return { subject: view.copy.subject, html: renderHtml(view), text: renderText(view), headers: unsubscribeHeaders(unsubscribeUrl, input.mailto) };
}
