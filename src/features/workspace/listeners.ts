import { z } from 'zod';
import type { Deps } from '../../deps.js';
import type { Interactions } from '../../slack/interactions.js';
import { followUserChange, installationLost } from './service.js';

/** The part of Slack's user object a `user_change` carries that Tandem reads; the rest is ignored. */
const userChange = z.object({
  id: z.string().regex(/^[UW][A-Z0-9]{2,}$/),
  deleted: z.boolean().optional(),
  is_bot: z.boolean().optional(),
  is_restricted: z.boolean().optional(),
  is_ultra_restricted: z.boolean().optional(),
  tz: z.string().max(100).nullish().transform((v) => v ?? undefined),
  locale: z.string().max(20).nullish().transform((v) => v ?? undefined),
});

const tokensRevoked = z.object({ tokens: z.object({ bot: z.array(z.string()).optional() }).optional() });

/**
 * Slack's lifecycle, from its signed events (a forged one is refused before it gets here): the app
 * uninstalled or its token revoked, and people who change or are deactivated.
 */
export function registerWorkspace(app: Interactions, deps: Deps): void {
  app.event('app_uninstalled', async () => installationLost(deps, 'app_uninstalled'));

  app.event('tokens_revoked', async ({ event }) => {
    // Only the bot's token matters: Tandem holds no user token.
    const parsed = tokensRevoked.safeParse(event);
    if (parsed.success && (parsed.data.tokens?.bot?.length ?? 0) > 0) installationLost(deps, 'tokens_revoked');
  });

  app.event('user_change', async ({ event }) => {
    const parsed = userChange.safeParse((event as { user?: unknown }).user);
    if (!parsed.success) return;
    await followUserChange(deps, parsed.data);
  });
}
