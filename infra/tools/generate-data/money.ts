/**
 * Money: US-dollar prices in a storefront's currency, as the API writes them.
 */
import { formatMinorUnits } from "../../../shared/domain/money";
import { PER_USD } from "./shape";

export const minorIn = (usd: number, currency: string) => Math.round(usd * PER_USD[currency]! * 100);
export const money = (minor: number, currency: string) => formatMinorUnits(minor, currency);
/** A price converted from the storefront's currency into another, kept at .99 like a price list. */
export function convertPrice(minor: number, from: string, to: string): number {
  if (from === to) return minor;
  const converted = Math.round((minor * PER_USD[to]!) / PER_USD[from]!);
  return converted < 200 ? converted : Math.round(converted / 100) * 100 - 1;
}
