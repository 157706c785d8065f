import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BOT_SCOPES, EVENT_SCOPES, METHOD_SCOPES, OTHER_SCOPES } from '../src/slack/scopes.js';

// The manifest fields Tandem uses, with the limits of Slack's published manifest schema 1.0.0.
const url = z.string().max(3500).regex(/^https?:\/\//);
const manifestSchema = z.object({
  _metadata: z.object({ major_version: z.literal(1), minor_version: z.number().int().min(0) }),
  display_information: z.object({
    name: z.string().min(1).max(35),
    description: z.string().min(1).max(140),
    long_description: z.string().min(175).max(4000),
    background_color: z.string().regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/),
  }).strict(),
  features: z.object({
    app_home: z.object({ home_tab_enabled: z.literal(true), messages_tab_enabled: z.boolean(), messages_tab_read_only_enabled: z.boolean() }).strict(),
    bot_user: z.object({ display_name: z.string().min(1).max(80).regex(/^[a-z0-9][a-z0-9._-]*$/i), always_online: z.boolean() }).strict(),
    slash_commands: z
      .array(
        z.object({
          command: z.string().min(2).max(32).regex(/^\/[a-z0-9_-]+$/),
          url: z.string().max(3000).regex(/^https?:\/\//),
          description: z.string().min(1).max(2000),
          usage_hint: z.string().min(1).max(1000),
          should_escape: z.boolean(),
        }).strict(),
      )
      .min(1)
      .max(50),
  }).strict(),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string().max(50)).max(255) }).strict() }).strict(),
  settings: z.object({
    event_subscriptions: z.object({ request_url: url, bot_events: z.array(z.string().max(50)).max(100) }).strict(),
    interactivity: z.object({ is_enabled: z.literal(true), request_url: url }).strict(),
    org_deploy_enabled: z.boolean(),
    socket_mode_enabled: z.boolean(),
    token_rotation_enabled: z.boolean(),
  }).strict(),
}).strict();

const manifest = manifestSchema.parse(JSON.parse(readFileSync('manifest.json', 'utf8')));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}
// The sandbox's stand-in implements Slack's methods; it is not a client of Slack and needs no scope.
const source = sourceFiles('src').filter((f) => !f.startsWith(join('src', 'sandbox'))).map((f) => readFileSync(f, 'utf8')).join('\n');
const found = (re: RegExp) => new Set([...source.matchAll(re)].map((m) => m[1] as string));

const methods = found(/\.((?:apps\.connections|auth|chat|conversations|files|users|views|reactions|team|usergroups|pins|bookmarks)\.[a-zA-Z0-9]+)\(/g);
const events = found(/\.event\(\s*'([a-z_]+)'/g);
// Bolt's app.command, or Tandem's own router (a global middleware, see CommandRouter).
const commands = found(/(?:\.command|new CommandRouter)\(\s*'(\/[a-z0-9_-]+)'/g);

describe('manifest.json', () => {
  it('uses only fields Slack accepts, within their limits', () => {
    expect(manifest.display_information.name).toBe('Tandem');
  });

  it('declares exactly the slash commands the code registers', () => {
    expect(new Set(manifest.features.slash_commands.map((c) => c.command))).toEqual(commands);
    expect(commands).toEqual(new Set(['/tandem']));
  });

  it('escapes mentions in commands so that /tandem pair @a @b gets user ids', () => {
    expect(manifest.features.slash_commands.every((c) => c.should_escape)).toBe(true);
  });

  it('subscribes to exactly the events the code listens to', () => {
    expect(new Set(manifest.settings.event_subscriptions.bot_events)).toEqual(events);
  });

  it('knows the scopes of every Web API method and event the code uses', () => {
    expect(methods.size).toBeGreaterThan(3);
    expect([...methods].filter((m) => !(m in METHOD_SCOPES))).toEqual([]);
    expect([...events].filter((e) => !(e in EVENT_SCOPES))).toEqual([]);
  });

  it('grants exactly the bot scopes the code needs, no more and no fewer', () => {
    const needed = new Set<string>([...OTHER_SCOPES]);
    for (const m of methods) for (const s of METHOD_SCOPES[m] ?? []) needed.add(s);
    for (const e of events) for (const s of EVENT_SCOPES[e] ?? []) needed.add(s);
    expect(new Set(manifest.oauth_config.scopes.bot)).toEqual(needed);
  });

  it('sends commands, interactivity and events to the one endpoint', () => {
    const endpoints = [
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    expect(endpoints.every((u) => new URL(u).pathname === '/slack/events')).toBe(true);
  });
});
