/**
 * The bot scopes each Web API method we call needs (from Slack's method reference). The manifest must
 * grant exactly the union of these for the methods the code calls, plus `commands`; a test checks it.
 */
export const METHOD_SCOPES: Record<string, readonly string[]> = {
  'auth.test': [],
  'apps.connections.open': [],
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.members': ['channels:read', 'groups:read'],
  // Only group DMs are opened (a pair and the bot); direct messages go to the user id with chat:write.
  'conversations.open': ['mpim:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'files.uploadV2': ['files:write'],
  'users.info': ['users:read'],
  'views.open': [],
  'views.push': [],
  'views.update': [],
  'views.publish': [],
};

/** Events we listen to, and the scopes Slack requires to receive them. */
export const EVENT_SCOPES: Record<string, readonly string[]> = {
  app_home_opened: [],
  app_uninstalled: [],
  tokens_revoked: [],
  user_change: ['users:read'],
  member_joined_channel: ['channels:read', 'groups:read'],
  member_left_channel: ['channels:read', 'groups:read'],
};

/** Scopes the app needs apart from Web API methods and events. */
export const OTHER_SCOPES = ['commands'] as const;

/** The bot scopes the app is installed with: those of manifest.json (a test keeps the two equal). */
export const BOT_SCOPES = ['channels:read', 'chat:write', 'commands', 'files:write', 'groups:read', 'mpim:write', 'users:read'] as const;
