/**
 * Block Kit as HTML for the sandbox page, rendered on the server from what the app actually sent
 * to the stand-in. Interactive elements carry `data-bk-*` attributes (action id, block id, type,
 * confirm dialog) that the page's script reads to send the click or the form's state back through
 * the signed-request driver. Anything this renderer does not know shows as an "unsupported"
 * placeholder, which the browser test looks for.
 */
import { escapeHtml, mrkdwn, plainText, type Viewer } from './mrkdwn.js';

type Json = Record<string, unknown>;

export interface RenderContext {
  viewer: Viewer;
  /** Members a users select offers. */
  people: readonly { id: string; name: string }[];
  /** Conversations a conversations/channels select offers. */
  channels: readonly { id: string; name: string }[];
  /** "(optional)" in the viewer's language, after the label of an optional input. */
  optional: string;
  /** Errors the app answered for the submitted view, by block_id. */
  errors?: Record<string, string>;
}

export const UNSUPPORTED_CLASS = 'bk-unsupported';

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isRecord) : []);
const attr = (v: string): string => escapeHtml(v);

function unsupported(what: string): string {
  return `<div class="${UNSUPPORTED_CLASS}">Unsupported ${escapeHtml(what)}</div>`;
}

/** A text object (plain_text or mrkdwn). */
export function textObject(text: unknown, ctx: RenderContext): string {
  if (!isRecord(text)) return '';
  if (text.type === 'mrkdwn') return mrkdwn(str(text.text), ctx.viewer);
  return plainText(str(text.text));
}

/** Only the words, for places that take plain text (option labels, titles, attributes). */
function words(text: unknown): string {
  return isRecord(text) ? str(text.text) : '';
}

export function renderBlocks(blocks: unknown, ctx: RenderContext): string {
  return list(blocks).map((block) => renderBlock(block, ctx)).join('');
}

function renderBlock(block: Json, ctx: RenderContext): string {
  const blockId = str(block.block_id);
  const wrap = (cls: string, inner: string) => `<div class="bk-block ${cls}" data-block-id="${attr(blockId)}">${inner}</div>`;
  switch (block.type) {
    case 'header':
      return wrap('bk-header', plainText(words(block.text)));
    case 'divider':
      return wrap('bk-divider', '<hr>');
    case 'section':
      return wrap('bk-section', section(block, blockId, ctx));
    case 'context':
      return wrap('bk-context', list(block.elements).map((el) => (el.type === 'image' ? image(el, 'bk-context-image') : `<span class="bk-context-text">${textObject(el, ctx)}</span>`)).join(''));
    case 'actions':
      return wrap('bk-actions', list(block.elements).map((el) => element(el, blockId, ctx, true)).join(''));
    case 'image':
      return wrap('bk-image', `${block.title ? `<div class="bk-image-title">${textObject(block.title, ctx)}</div>` : ''}${image(block, 'bk-image-full')}`);
    case 'input':
      return wrap('bk-input', input(block, blockId, ctx));
    case 'rich_text':
      return wrap('bk-rich-text', richText(block.elements, ctx));
    default:
      return wrap('', unsupported(`block "${str(block.type)}"`));
  }
}

function section(block: Json, blockId: string, ctx: RenderContext): string {
  const text = block.text ? `<div class="bk-section-text">${textObject(block.text, ctx)}</div>` : '';
  const fields = list(block.fields);
  const grid = fields.length > 0 ? `<div class="bk-fields">${fields.map((f) => `<div class="bk-field">${textObject(f, ctx)}</div>`).join('')}</div>` : '';
  const accessory = isRecord(block.accessory)
    ? `<div class="bk-accessory">${block.accessory.type === 'image' ? image(block.accessory, 'bk-accessory-image') : element(block.accessory, blockId, ctx, true)}</div>`
    : '';
  return `<div class="bk-section-body">${text}${grid}</div>${accessory}`;
}

function input(block: Json, blockId: string, ctx: RenderContext): string {
  const el = isRecord(block.element) ? block.element : {};
  const id = `in-${blockId}-${str(el.action_id)}`;
  const optional = block.optional === true ? `<span class="bk-optional"> ${escapeHtml(ctx.optional)}</span>` : '';
  const error = ctx.errors?.[blockId];
  const hint = block.hint ? `<div class="bk-hint">${textObject(block.hint, ctx)}</div>` : '';
  return (
    `<label class="bk-label" for="${attr(id)}">${plainText(words(block.label))}${optional}</label>` +
    `<div class="bk-input-element${error ? ' bk-has-error' : ''}">${element(el, blockId, ctx, block.dispatch_action === true, id)}</div>` +
    (error ? `<div class="bk-error" role="alert">${plainText(error)}</div>` : '') +
    hint
  );
}

function image(el: Json, cls: string): string {
  const url = str(el.image_url);
  const alt = attr(str(el.alt_text));
  // Every asset is local: an image elsewhere shows as its description, never fetched.
  if (!/^(\/|data:image\/)/.test(url)) return `<span class="bk-image-missing ${cls}" title="${attr(url)}">${alt}</span>`;
  return `<img class="${cls}" src="${attr(url)}" alt="${alt}">`;
}

function confirmAttr(el: Json): string {
  if (!isRecord(el.confirm)) return '';
  const c = el.confirm;
  const dialog = { title: words(c.title), text: words(c.text), confirm: words(c.confirm) || 'Yes', deny: words(c.deny) || 'Cancel', style: str(c.style) };
  return ` data-bk-confirm="${attr(JSON.stringify(dialog))}"`;
}

function options(el: Json, selected: Set<string>): string {
  const one = (o: Json) => {
    const value = str(o.value);
    return `<option value="${attr(value)}"${selected.has(value) ? ' selected' : ''}>${escapeHtml(words(o.text))}</option>`;
  };
  const groups = list(el.option_groups);
  if (groups.length > 0) return groups.map((g) => `<optgroup label="${attr(words(g.label))}">${list(g.options).map(one).join('')}</optgroup>`).join('');
  return list(el.options).map(one).join('');
}

function selectedValues(el: Json): Set<string> {
  const chosen = [...list(el.initial_options), ...(isRecord(el.initial_option) ? [el.initial_option] : [])];
  return new Set(chosen.map((o) => str(o.value)));
}

/**
 * One interactive element. `dispatch`: a change is sent at once as a block action (elements of an
 * actions block, accessories, dispatch_action inputs); otherwise it is state read at submission.
 */
function element(el: Json, blockId: string, ctx: RenderContext, dispatch: boolean, id?: string): string {
  const type = str(el.type);
  const actionId = str(el.action_id);
  const common = ` data-bk-type="${attr(type)}" data-bk-action="${attr(actionId)}" data-bk-block="${attr(blockId)}"${dispatch ? ' data-bk-dispatch="1"' : ''}${id ? ` id="${attr(id)}"` : ''}${confirmAttr(el)}`;
  const placeholder = words(el.placeholder);
  switch (type) {
    case 'button': {
      const style = el.style === 'primary' ? ' bk-primary' : el.style === 'danger' ? ' bk-danger' : '';
      const url = str(el.url);
      return `<button type="button" class="bk-button${style}"${common}${url && /^https?:/.test(url) ? ` data-bk-url="${attr(url)}"` : ''}>${escapeHtml(words(el.text))}</button>`;
    }
    case 'static_select':
    case 'multi_static_select': {
      const multi = type.startsWith('multi_');
      const selected = selectedValues(el);
      const first = multi ? '' : `<option value=""${selected.size === 0 ? ' selected' : ''}>${escapeHtml(placeholder || 'Select an option')}</option>`;
      return `<select class="bk-select"${multi ? ' multiple' : ''}${common}>${first}${options(el, selected)}</select>`;
    }
    case 'users_select':
    case 'multi_users_select': {
      const multi = type.startsWith('multi_');
      const initial = new Set([str(el.initial_user), ...(Array.isArray(el.initial_users) ? el.initial_users.map(str) : [])].filter(Boolean));
      const first = multi ? '' : `<option value="">${escapeHtml(placeholder || 'Select a person')}</option>`;
      const people = ctx.people.map((p) => `<option value="${attr(p.id)}"${initial.has(p.id) ? ' selected' : ''}>${escapeHtml(p.name)}</option>`).join('');
      return `<select class="bk-select"${multi ? ' multiple' : ''}${common}>${first}${people}</select>`;
    }
    case 'conversations_select':
    case 'channels_select': {
      const initial = str(el.initial_conversation) || str(el.initial_channel);
      const channels = ctx.channels.map((c) => `<option value="${attr(c.id)}"${c.id === initial ? ' selected' : ''}>#${escapeHtml(c.name)}</option>`).join('');
      return `<select class="bk-select"${common}><option value="">${escapeHtml(placeholder || 'Select a conversation')}</option>${channels}</select>`;
    }
    case 'overflow':
      return `<select class="bk-select bk-overflow"${common}><option value="">⋯</option>${options(el, new Set())}</select>`;
    case 'radio_buttons':
    case 'checkboxes': {
      const selected = selectedValues(el);
      const inputType = type === 'radio_buttons' ? 'radio' : 'checkbox';
      const name = `${blockId}/${actionId}`;
      const items = list(el.options)
        .map((o) => {
          const value = str(o.value);
          const description = o.description ? `<span class="bk-option-description">${textObject(o.description, ctx)}</span>` : '';
          return `<label class="bk-choice"><input type="${inputType}" name="${attr(name)}" value="${attr(value)}"${selected.has(value) ? ' checked' : ''}><span><span class="bk-option-text">${textObject(o.text, ctx)}</span>${description}</span></label>`;
        })
        .join('');
      return `<div class="bk-choices" role="group"${common}>${items}</div>`;
    }
    case 'datepicker':
      return `<input type="date" class="bk-text"${common} value="${attr(str(el.initial_date))}">`;
    case 'timepicker':
      return `<input type="time" class="bk-text"${common} value="${attr(str(el.initial_time))}">`;
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      const value = attr(str(el.initial_value));
      const limits = `${typeof el.min_length === 'number' ? ` minlength="${el.min_length}"` : ''}${typeof el.max_length === 'number' ? ` maxlength="${el.max_length}"` : ''}`;
      const hint = placeholder ? ` placeholder="${attr(placeholder)}"` : '';
      if (type === 'plain_text_input' && el.multiline === true) return `<textarea class="bk-text" rows="4"${common}${hint}${limits}>${value}</textarea>`;
      if (type === 'number_input') {
        const bounds = `${el.min_value !== undefined ? ` min="${attr(str(el.min_value))}"` : ''}${el.max_value !== undefined ? ` max="${attr(str(el.max_value))}"` : ''}`;
        return `<input type="number" class="bk-text" step="${el.is_decimal_allowed === true ? 'any' : '1'}"${common}${hint}${bounds} value="${value}">`;
      }
      const htmlType = type === 'email_text_input' ? 'email' : type === 'url_text_input' ? 'url' : 'text';
      return `<input type="${htmlType}" class="bk-text"${common}${hint}${limits} value="${value}">`;
    }
    default:
      return unsupported(`element "${type}"`);
  }
}

/** The rich_text block's common parts: sections, lists, quotes and preformatted text. */
function richText(elements: unknown, ctx: RenderContext): string {
  return list(elements)
    .map((el) => {
      const inner = richInline(el.elements, ctx);
      switch (el.type) {
        case 'rich_text_section':
          return `<div>${inner}</div>`;
        case 'rich_text_quote':
          return `<blockquote class="mk-quote">${inner}</blockquote>`;
        case 'rich_text_preformatted':
          return `<pre class="mk-pre">${inner}</pre>`;
        case 'rich_text_list': {
          const tag = el.style === 'ordered' ? 'ol' : 'ul';
          return `<${tag} class="mk-list">${list(el.elements).map((item) => `<li>${richInline(item.elements, ctx)}</li>`).join('')}</${tag}>`;
        }
        default:
          return unsupported(`rich text "${str(el.type)}"`);
      }
    })
    .join('');
}

function richInline(elements: unknown, ctx: RenderContext): string {
  return list(elements)
    .map((el) => {
      switch (el.type) {
        case 'text': {
          const style = isRecord(el.style) ? el.style : {};
          let html = plainText(str(el.text));
          if (style.code) html = `<code class="mk-code">${html}</code>`;
          if (style.bold) html = `<b>${html}</b>`;
          if (style.italic) html = `<i>${html}</i>`;
          if (style.strike) html = `<s>${html}</s>`;
          return html;
        }
        case 'link':
          return mrkdwn(`<${str(el.url)}${el.text ? `|${str(el.text)}` : ''}>`, ctx.viewer);
        case 'user':
          return mrkdwn(`<@${str(el.user_id)}>`, ctx.viewer);
        case 'channel':
          return mrkdwn(`<#${str(el.channel_id)}>`, ctx.viewer);
        case 'emoji':
          return escapeHtml(str(el.unicode) ? String.fromCodePoint(...str(el.unicode).split('-').map((h) => parseInt(h, 16))) : `:${str(el.name)}:`);
        default:
          return unsupported(`rich text element "${str(el.type)}"`);
      }
    })
    .join('');
}

/** A message as Slack shows it: its blocks, else its text; legacy attachments with their colour bar. */
export function renderMessage(message: Json, ctx: RenderContext): string {
  const blocks = list(message.blocks);
  const body = blocks.length > 0 ? renderBlocks(blocks, ctx) : `<div class="bk-block bk-section"><div class="bk-section-text">${mrkdwn(str(message.text), ctx.viewer)}</div></div>`;
  const attachments = list(message.attachments)
    .map((a) => {
      const color = /^#?[0-9a-f]{3,6}$/i.test(str(a.color)) ? (str(a.color).startsWith('#') ? str(a.color) : `#${str(a.color)}`) : '#dddddd';
      const inner = list(a.blocks).length > 0 ? renderBlocks(a.blocks, ctx) : mrkdwn(str(a.text) || str(a.fallback), ctx.viewer);
      return `<div class="bk-attachment" style="border-left-color:${attr(color)}">${inner}</div>`;
    })
    .join('');
  return body + attachments;
}
