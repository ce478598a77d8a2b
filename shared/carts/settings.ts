/** A storefront's abandoned-cart settings, with the defaults of storefronts that never set them. */
import type { StorefrontItem } from "../data/storefronts";

export const CART_SETTING_DEFAULTS = {
  abandoned_cart_hours: 24,
  auto_recover_carts: false,
  recovery_email_delays_hours: [1, 24, 72] as number[],
  recovery_daily_send_limit: 1000,
  recovery_sender_email: null as string | null,
};

export function cartSettingsOf(storefront: StorefrontItem) {
  return {
    abandoned_cart_hours: storefront.abandoned_cart_hours ?? CART_SETTING_DEFAULTS.abandoned_cart_hours,
    auto_recover_carts: storefront.auto_recover_carts ?? CART_SETTING_DEFAULTS.auto_recover_carts,
    recovery_email_delays_hours: storefront.recovery_email_delays_hours ?? CART_SETTING_DEFAULTS.recovery_email_delays_hours,
    recovery_daily_send_limit: storefront.recovery_daily_send_limit ?? CART_SETTING_DEFAULTS.recovery_daily_send_limit,
    recovery_sender_email: storefront.recovery_sender_email ?? CART_SETTING_DEFAULTS.recovery_sender_email,
  };
}
