/**
 * Why this instance should not get traffic, as `/readyz` reports it. Each cause is set and cleared
 * by the part of the bot that knows of it (the sandbox, the database, Slack's lifecycle, storage
 * faults), under a name of its own, so that one cause ending never hides another still there.
 */
export class Readiness {
  private readonly causes = new Map<string, Record<string, unknown>>();

  /** Marks the instance not ready for `cause`; `details` join the `/readyz` body (e.g. `{ mode: 'sandbox' }`). */
  set(cause: string, details: Record<string, unknown> = {}): void {
    this.causes.set(cause, details);
  }

  clear(cause: string): void {
    this.causes.delete(cause);
  }

  has(cause: string): boolean {
    return this.causes.has(cause);
  }

  /** The causes in force, and their details merged, for the `/readyz` body. */
  report(): { causes: string[]; details: Record<string, unknown> } {
    return { causes: [...this.causes.keys()], details: Object.assign({}, ...this.causes.values()) };
  }
}
