import { z } from 'zod';

// What Slack sends for each input in `view.state.values`; anything else in a field is ignored.
const optionSchema = z.object({ value: z.string().max(2000) });
const elementSchema = z.object({
  type: z.string().max(100),
  value: z.string().max(10_000).nullish(),
  selected_option: optionSchema.nullish(),
  selected_options: z.array(optionSchema).max(200).nullish(),
  selected_user: z.string().max(50).nullish(),
  selected_users: z.array(z.string().max(50)).max(200).nullish(),
  selected_date: z.string().max(20).nullish(),
  selected_time: z.string().max(10).nullish(),
  selected_conversation: z.string().max(50).nullish(),
});
const stateSchema = z.record(z.string().max(255), z.record(z.string().max(255), elementSchema));

type Element = z.infer<typeof elementSchema>;

/**
 * Reads a submitted modal. Inputs use the same id for block and action, so `field` names both.
 * A malformed state reads as empty fields, which then fail validation field by field.
 */
export class ViewState {
  private readonly values: Record<string, Record<string, Element>>;

  constructor(raw: unknown) {
    const parsed = stateSchema.safeParse(raw);
    this.values = parsed.success ? parsed.data : {};
  }

  private element(field: string): Element | undefined {
    return this.values[field]?.[field];
  }

  text(field: string): string | null {
    return this.element(field)?.value ?? null;
  }

  selected(field: string): string | null {
    return this.element(field)?.selected_option?.value ?? null;
  }

  selectedMany(field: string): string[] {
    return (this.element(field)?.selected_options ?? []).map((o) => o.value);
  }

  user(field: string): string | null {
    return this.element(field)?.selected_user ?? null;
  }

  time(field: string): string | null {
    return this.element(field)?.selected_time ?? null;
  }

  date(field: string): string | null {
    return this.element(field)?.selected_date ?? null;
  }
}
