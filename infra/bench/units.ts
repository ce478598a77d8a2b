/** Formatting for the printed tables; the JSON results keep raw bytes and milliseconds. */

/** One decimal; a small negative difference prints as 0.0 rather than -0.0. */
export const kb = (bytes: number): string => {
  const rounded = Math.round(bytes / 102.4) / 10;
  return (rounded === 0 ? 0 : rounded).toFixed(1);
};

export const ms = (milliseconds: number): string => milliseconds.toFixed(1);

export const ratio = (value: number): string => `${value.toFixed(2)}x`;
