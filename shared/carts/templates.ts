/** Recovery email template names (kept apart from the renderer, so that the API schemas do not carry it); the first two are the ones existing API clients send. */
export const RECOVERY_TEMPLATES = ["abandoned_cart_template_1", "recovery_v1", "default"] as const;
export type RecoveryTemplate = (typeof RECOVERY_TEMPLATES)[number];

export function isRecoveryTemplate(name: string): name is RecoveryTemplate {
  return (RECOVERY_TEMPLATES as readonly string[]).includes(name);
}
