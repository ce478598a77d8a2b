/**
 * The card-number guard: only a card's brand and last 4 digits may ever be
 * kept, so a request carrying anything that looks like a full card number
 * is refused before anything is written.
 */

/**
 * Digit runs of 13 to 19 digits (spaces and dashes allowed between groups)
 * that pass the Luhn check: what a primary account number looks like.
 */
const DIGIT_RUN = /\d(?:[ -]?\d){12,18}/g;

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function looksLikeCardNumber(text: string): boolean {
  return [...text.matchAll(DIGIT_RUN)].some(([run]) => passesLuhn(run.replace(/[ -]/g, "")));
}

/** The paths (as key lists) of every value in a JSON document that holds what looks like a card number. */
export function cardNumberPaths(value: unknown, path: string[] = []): string[][] {
  if (typeof value === "string" || typeof value === "number") return looksLikeCardNumber(String(value)) ? [path] : [];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => cardNumberPaths(child, [...path, key]));
}
