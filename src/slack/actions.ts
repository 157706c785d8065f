import type { z } from 'zod';

/**
 * Parses a button's value: it comes from the network, so it is checked like any other input.
 * Returns undefined for anything malformed or oversize.
 */
export function parseValue<T extends z.ZodType>(schema: T, value: string | undefined): z.infer<T> | undefined {
  if (value === undefined || value.length > 2000) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
