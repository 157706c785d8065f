import type { ActionsBlock, Button, ContextBlock, DividerBlock, HeaderBlock, KnownBlock, PlainTextElement, SectionBlock } from '@slack/types';

/** A message as the bot posts it: the text is the notification and screen-reader fallback. */
export interface Message {
  text: string;
  blocks?: KnownBlock[];
}

// Slack's documented limits, used to cut text rather than have a whole message refused.
export const LIMITS = {
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  modalTitle: 24,
  messageBlocks: 50,
  viewBlocks: 100,
  contextElements: 10,
  privateMetadata: 3000,
} as const;

/**
 * `text` cut to at most `max` characters, ending in "…", for a message that would exceed a Block
 * Kit limit in some language: cut cleanly rather than refused by Slack. Never inside a surrogate
 * pair, an escape such as &amp;, or a Slack mention or link such as <@U123> or <https://…|label>
 * (each would show broken); at a space when one is near, so that no word is cut in half.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut -= 1;
  const entity = text.lastIndexOf('&', cut - 1);
  if (entity >= 0 && entity > cut - 6 && !text.slice(entity, cut).includes(';')) cut = entity;
  const opening = text.lastIndexOf('<', cut - 1);
  if (opening >= 0 && !text.slice(opening, cut).includes('>')) cut = opening;
  const space = text.lastIndexOf(' ', cut);
  if (space > 0 && space >= cut - 15) cut = space;
  return `${text.slice(0, cut).trimEnd()}…`;
}

/** An option whose text is mrkdwn (checkboxes), cut to Slack's limit like every other text. */
export const mrkdwnOption = (text: string, value: string) => ({ text: { type: 'mrkdwn' as const, text: truncate(text, LIMITS.optionText) }, value });

export const plain = (text: string, max: number = LIMITS.sectionText): PlainTextElement => ({ type: 'plain_text', text: truncate(text, max), emoji: true });

export const section = (text: string, accessory?: Button): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
  ...(accessory ? { accessory } : {}),
});

export const header = (text: string): HeaderBlock => ({ type: 'header', text: plain(text, LIMITS.headerText) });

export const context = (...texts: string[]): ContextBlock => ({
  type: 'context',
  elements: texts.slice(0, LIMITS.contextElements).map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) })),
});

export const divider = (): DividerBlock => ({ type: 'divider' });

export interface ButtonSpec {
  text: string;
  actionId: string;
  value?: string;
  style?: 'primary' | 'danger';
  confirm?: { title: string; text: string; confirm: string; deny: string };
}

export function button(spec: ButtonSpec): Button {
  return {
    type: 'button',
    text: plain(spec.text, LIMITS.buttonText),
    action_id: spec.actionId,
    ...(spec.value !== undefined ? { value: spec.value } : {}),
    ...(spec.style ? { style: spec.style } : {}),
    ...(spec.confirm
      ? {
          confirm: {
            title: plain(spec.confirm.title, 100),
            text: plain(spec.confirm.text, 300),
            confirm: plain(spec.confirm.confirm, 30),
            deny: plain(spec.confirm.deny, 30),
          },
        }
      : {}),
  };
}

export const actions = (blockId: string, ...elements: Button[]): ActionsBlock => ({ type: 'actions', block_id: blockId, elements });

/** Text a person typed, made inert in mrkdwn: no mention, link or @channel can come out of it. */
export const escapeText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Mentions a person so that Slack shows their name in each reader's own display. */
export const mention = (userId: string): string => `<@${userId}>`;
