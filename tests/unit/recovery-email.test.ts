import { describe, expect, it } from "vitest";
import { renderRecoveryEmail, type RecoveryEmailInput } from "../../shared/carts/recovery-email";
import { isRecoveryTemplate, RECOVERY_TEMPLATES } from "../../shared/carts/templates";

const UNSUBSCRIBE = "https://shop.example.com/unsubscribe?token=abc.def";

function input(overrides: Partial<RecoveryEmailInput> = {}): RecoveryEmailInput {
  return {
    template: "default",
    step: 1,
    storefrontName: "Ocean Shop",
    language: "en-US",
    customerName: "Ana",
    currency: "USD",
    items: [
      { product_name: "Laptop Pro", variant_name: "16 GB / Silver", quantity: 1, unit_price: "1299.99", total_amount: "1299.99" },
      { product_name: "USB-C Cable", variant_name: null, quantity: 3, unit_price: "9.50", total_amount: "28.50" },
    ],
    subtotal: "1328.49",
    discount: "0.00",
    shipping: "0",
    tax: "0.00",
    total: "1328.49",
    checkoutUrl: "https://shop.example.com/checkout/recover?cart=42&sig=x",
    unsubscribeUrl: UNSUBSCRIBE,
    ...overrides,
  };
}

describe("recovery email templates", () => {
  it("knows the template names existing clients send", () => {
    expect(RECOVERY_TEMPLATES).toEqual(expect.arrayContaining(["abandoned_cart_template_1", "recovery_v1", "default"]));
    expect(isRecoveryTemplate("recovery_v1")).toBe(true);
    expect(isRecoveryTemplate("abandoned_cart_template_1")).toBe(true);
    expect(isRecoveryTemplate("Recovery_V1")).toBe(false);
    expect(isRecoveryTemplate("toString")).toBe(false);
  });

  it("refuses an unknown template instead of sending something else", () => {
    expect(() => renderRecoveryEmail(input({ template: "nope" }))).toThrow(RangeError);
    expect(() => renderRecoveryEmail(input({ template: "constructor" }))).toThrow(RangeError);
  });

  it("words subjects per template and per step, step 3 as a last reminder", () => {
    const subjects = RECOVERY_TEMPLATES.flatMap((template) => ([1, 2, 3] as const).map((step) => renderRecoveryEmail(input({ template, step })).subject));
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(renderRecoveryEmail(input({ step: 1 })).subject).toBe("You left something in your cart at Ocean Shop");
    expect(renderRecoveryEmail(input({ step: 3 })).subject).toBe("Last reminder: your cart at Ocean Shop");
    for (const template of RECOVERY_TEMPLATES) {
      expect(renderRecoveryEmail(input({ template, step: 3 })).subject).toMatch(/^(Last|Final) (reminder|chance)/);
    }
  });
});

describe("recovery email content", () => {
  it("lists every item and the totals in both parts", () => {
    const email = renderRecoveryEmail(input());
    for (const part of [email.html, email.text]) {
      expect(part).toContain("Laptop Pro");
      expect(part).toContain("16 GB / Silver");
      expect(part).toContain("$1,299.99");
      expect(part).toContain("USB-C Cable");
      expect(part).toContain("$28.50");
      expect(part).toContain("$1,328.49");
      expect(part).toContain("Ocean Shop");
      expect(part).toContain("Hi Ana,");
    }
    expect(email.text).toContain("- Laptop Pro (16 GB / Silver) x 1: $1,299.99\n");
    expect(email.text).toContain("- USB-C Cable x 3: $28.50\n");
    expect(email.text).toContain("Subtotal: $1,328.49\nTotal: $1,328.49\n");
    expect(email.html).toContain(`<td align="right">3</td><td align="right">$28.50</td>`);
  });

  it("omits zero discount, shipping and tax lines, and shows the others", () => {
    const none = renderRecoveryEmail(input());
    for (const part of [none.html, none.text]) {
      expect(part).not.toMatch(/Discount|Shipping|Tax/);
    }
    const all = renderRecoveryEmail(input({ discount: "10.00", shipping: "4.99", tax: "0.01", total: "1323.49" }));
    expect(all.text).toContain("Subtotal: $1,328.49\nDiscount: -$10.00\nShipping: $4.99\nTax: $0.01\nTotal: $1,323.49\n");
    expect(all.html).toContain("<td colspan=\"2\">Discount</td><td align=\"right\">-$10.00</td>");
    expect(all.html).toContain("<td colspan=\"2\">Shipping</td><td align=\"right\">$4.99</td>");
  });

  it("escapes shopper- and platform-supplied values in HTML", () => {
    const email = renderRecoveryEmail(
      input({
        storefrontName: `Bob's <b>Shop</b>`,
        customerName: `<script>alert("x")</script>`,
        items: [{ product_name: `<img src=x onerror="alert(1)">`, variant_name: `a&b "c"`, quantity: 1, unit_price: "5.00", total_amount: "5.00" }],
      }),
    );
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("<img");
    expect(email.html).not.toContain("<b>Shop");
    expect(email.html).toContain("Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,");
    expect(email.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(email.html).toContain("a&amp;b &quot;c&quot;");
    expect(email.html).toContain("Bob&#39;s &lt;b&gt;Shop&lt;/b&gt;");
    // The text part is plain text: values appear as given.
    expect(email.text).toContain(`<img src=x onerror="alert(1)">`);
  });

  it("keeps each item on one line of the text part", () => {
    const email = renderRecoveryEmail(input({ items: [{ product_name: "Mug\nTotal: $0.00", variant_name: "Blue\r\n", quantity: 2, unit_price: "5.00", total_amount: "10.00" }] }));
    expect(email.text).toContain("- Mug Total: $0.00 (Blue) x 2: $10.00\n");
    expect(email.text).not.toContain("\nTotal: $0.00");
  });

  it("greets without a name when none is known", () => {
    expect(renderRecoveryEmail(input({ customerName: null })).text).toMatch(/^Hi there,\n/);
    expect(renderRecoveryEmail(input({ customerName: "  " })).text).toMatch(/^Hi there,\n/);
  });

  it("links the checkout URL escaped, and only http(s) URLs", () => {
    const email = renderRecoveryEmail(input());
    expect(email.html).toContain(`<a href="https://shop.example.com/checkout/recover?cart=42&amp;sig=x">Complete your order</a>`);
    expect(email.text).toContain("Complete your order: https://shop.example.com/checkout/recover?cart=42&sig=x\n");

    for (const checkoutUrl of ["javascript:alert(document.cookie)", "JAVASCRIPT:alert(1)", "data:text/html,<b>x</b>", "/checkout", "not a url", null]) {
      const unlinked = renderRecoveryEmail(input({ checkoutUrl }));
      expect(unlinked.html).not.toContain("Complete your order");
      expect(unlinked.text).not.toContain("Complete your order");
      expect(unlinked.html).not.toMatch(/javascript:|data:/i);
    }
  });

  it("ends both parts with the unsubscribe link", () => {
    const email = renderRecoveryEmail(input());
    expect(email.html).toContain(`<a href="https://shop.example.com/unsubscribe?token=abc.def">Unsubscribe</a>`);
    expect(email.text).toContain(`Unsubscribe: ${UNSUBSCRIBE}\n`);
  });
});

describe("recovery email headers", () => {
  it("offers RFC 8058 one-click unsubscribe", () => {
    expect(renderRecoveryEmail(input()).headers).toEqual([
      { name: "List-Unsubscribe", value: `<${UNSUBSCRIBE}>` },
      { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
    ]);
  });

  it("adds the mailto alternative when given", () => {
    expect(renderRecoveryEmail(input({ mailto: "unsubscribe@example.com" })).headers[0]).toEqual({
      name: "List-Unsubscribe",
      value: `<${UNSUBSCRIBE}>, <mailto:unsubscribe@example.com>`,
    });
    expect(() => renderRecoveryEmail(input({ mailto: "x@example.com>\r\nBcc: y@example.com" }))).toThrow(RangeError);
  });

  it("refuses an unsubscribe URL that is not https", () => {
    expect(() => renderRecoveryEmail(input({ unsubscribeUrl: "http://shop.example.com/u?t=1" }))).toThrow(RangeError);
    expect(renderRecoveryEmail(input({ unsubscribeUrl: "http://127.0.0.1:4000/u?t=1" })).headers[0]!.value).toBe("<http://127.0.0.1:4000/u?t=1>");
    expect(() => renderRecoveryEmail(input({ unsubscribeUrl: "javascript:alert(1)" }))).toThrow(RangeError);
  });
});

describe("recovery email money", () => {
  function line(overrides: Partial<RecoveryEmailInput>, amount: string): RecoveryEmailInput {
    return input({
      ...overrides,
      items: [{ product_name: "Thing", variant_name: null, quantity: 1, unit_price: amount, total_amount: amount }],
      subtotal: amount,
      total: amount,
    });
  }

  it("formats decimal strings exactly", () => {
    expect(renderRecoveryEmail(line({}, "1299.99")).text).toContain("Thing x 1: $1,299.99\n");
    // Beyond double precision: a float would print 12,345,678,901,234,568.00.
    expect(renderRecoveryEmail(line({}, "12345678901234567.89")).text).toContain("Total: $12,345,678,901,234,567.89\n");
  });

  it("keeps three decimals for KWD and none for JPY", () => {
    expect(renderRecoveryEmail(line({ currency: "KWD", language: "en" }, "1.250")).text).toContain("Total: KWD\u00a01.250\n");
    expect(renderRecoveryEmail(line({ currency: "JPY", language: "en-US" }, "1500")).text).toContain("Total: ¥1,500\n");
  });

  it("formats in the storefront language, falling back to English for an unusable tag", () => {
    expect(renderRecoveryEmail(line({ currency: "EUR", language: "de-DE" }, "1299.99")).text).toContain("Total: 1.299,99\u00a0€\n");
    expect(renderRecoveryEmail(line({ currency: "EUR", language: "not a tag!" }, "5.00")).text).toContain("Total: €5.00\n");
  });

  it("refuses amounts that are not decimal strings", () => {
    expect(() => renderRecoveryEmail(line({}, "1e3"))).toThrow(RangeError);
    expect(() => renderRecoveryEmail(input({ tax: "abc" }))).toThrow(RangeError);
  });
});
