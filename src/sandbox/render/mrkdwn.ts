/**
 * Slack's mrkdwn as HTML, the way the Slack client shows it: bold, italic, strike, code, links,
 * quotes, lists, mentions (`<@U…>` as the person's name, `<#C…>` as the channel) and `<!date^…>` in
 * the viewer's own time zone. Written by hand: mrkdwn is not Markdown (single `*` is bold, `<…|…>`
 * links, entity-escaped input), so a Markdown library would render it wrongly.
 */

export interface Viewer {
  /** BCP 47 locale for dates, e.g. en-US or fr-FR. */
  locale: string;
  timeZone: string;
  /** The display name of a member, or undefined when the workspace has none by that id. */
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
  /** The sandbox's clock, for "Today" and "Yesterday". */
  now: Date;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Slack escapes only &, < and > in message text; the client shows them unescaped. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Plain text as Slack shows it (no formatting; `emoji` shortcodes are left as typed). */
export function plainText(text: string): string {
  return escapeHtml(unescapeSlack(text)).replace(/\n/g, '<br>');
}

const SAFE_LINK = /^(https?:|mailto:)/i;

/** The HTML of one mrkdwn string. */
export function mrkdwn(source: string, viewer: Viewer): string {
  const held: string[] = [];
  const hold = (html: string): string => {
    held.push(html);
    return `\u0000${held.length - 1}\u0000`;
  };
  // Code first: nothing inside it is formatted, not even a link or a mention.
  let text = source.replace(/```([\s\S]*?)```/g, (_m, code: string) => hold(`<pre class="mk-pre">${escapeHtml(unescapeSlack(code.replace(/^\n/, '')))}</pre>`));
  text = text.replace(/`([^`\n]+)`/g, (_m, code: string) => hold(`<code class="mk-code">${escapeHtml(unescapeSlack(code))}</code>`));
  // Slack's angle-bracket tokens are the only real `<` in the text; a literal one arrives as &lt;.
  text = text.replace(/<([^<>\n]+)>/g, (_m, token: string) => hold(specialToken(token, viewer)));
  text = escapeHtml(unescapeSlack(text));
  text = inlineStyles(text);
  return restore(blockStructure(text), held);
}

function restore(html: string, held: string[]): string {
  // Held pieces may themselves hold others (a link label with a mention is not possible, but a
  // formatted label is), so restore until none is left.
  let out = html;
  for (let i = 0; i < 3 && out.includes('\u0000'); i += 1) out = out.replace(/\u0000(\d+)\u0000/g, (_m, n: string) => held[Number(n)] ?? '');
  return out;
}

function inlineStyles(text: string): string {
  const around = (mark: string) =>
    new RegExp(`(^|[\\s(>"'\\u0000.,;:!?-])\\${mark}(?=\\S)([^\\${mark}\\n]*?\\S)\\${mark}(?=$|[\\s)<"'\\u0000.,;:!?-])`, 'g');
  return text
    .replace(around('*'), (_m, pre: string, inner: string) => `${pre}<b>${inner}</b>`)
    .replace(around('_'), (_m, pre: string, inner: string) => `${pre}<i>${inner}</i>`)
    .replace(around('~'), (_m, pre: string, inner: string) => `${pre}<s>${inner}</s>`);
}

/** Quotes (`> `) and lists (`• `, `- `, `1. `) are per line; other lines join with a line break. */
function blockStructure(html: string): string {
  const lines = html.split('\n');
  const out: string[] = [];
  let quote: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;
  const flush = () => {
    if (quote.length > 0) out.push(`<blockquote class="mk-quote">${quote.join('<br>')}</blockquote>`);
    quote = [];
    if (list) out.push(`<${list.ordered ? 'ol' : 'ul'} class="mk-list">${list.items.map((i) => `<li>${i}</li>`).join('')}</${list.ordered ? 'ol' : 'ul'}>`);
    list = undefined;
  };
  for (const line of lines) {
    const quoted = /^&gt;\s?(.*)$/.exec(line);
    const bullet = /^\s*(?:•|-|◦|▪)\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (quoted) {
      if (list) flush();
      quote.push(quoted[1] ?? '');
    } else if (bullet || numbered) {
      const ordered = numbered !== null && bullet === null;
      if (quote.length > 0 || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push((bullet ?? numbered)?.[1] ?? '');
    } else {
      flush();
      out.push(`${line}\n`);
    }
  }
  flush();
  // Lines end with a break, except before a quote or list, which are blocks of their own.
  return out.join('').replace(/\n$/, '').replace(/\n(?=<(blockquote|ul|ol) )/g, '').replace(/\n/g, '<br>');
}

function specialToken(token: string, viewer: Viewer): string {
  const [target = '', label] = splitLabel(token);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = viewer.userName(id) ?? label ?? id;
    return `<span class="mk-mention" data-user="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = viewer.channelName(id) ?? label ?? id;
    return `<span class="mk-channel" data-channel="${escapeHtml(id)}">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('!date^')) return dateToken(target, label, viewer);
  if (target.startsWith('!subteam^')) return `<span class="mk-mention">${escapeHtml(unescapeSlack(label ?? '@team'))}</span>`;
  if (target.startsWith('!')) return `<span class="mk-mention">@${escapeHtml(target.slice(1))}</span>`;
  if (SAFE_LINK.test(target)) {
    const href = escapeHtml(unescapeSlack(target));
    const text = label === undefined ? href : inlineStyles(escapeHtml(unescapeSlack(label)));
    return `<a class="mk-link" href="${href}" target="_blank" rel="noopener noreferrer">${text}</a>`;
  }
  return escapeHtml(unescapeSlack(label ?? target));
}

function splitLabel(token: string): [string, string | undefined] {
  const bar = token.indexOf('|');
  return bar === -1 ? [token, undefined] : [token.slice(0, bar), token.slice(bar + 1)];
}

/** `<!date^seconds^format^optional_link|fallback>`, formatted in the viewer's zone and language. */
function dateToken(target: string, fallback: string | undefined, viewer: Viewer): string {
  const [, seconds = '', format = '', link] = target.split('^');
  const instant = new Date(Number(seconds) * 1000);
  if (!/^\d+$/.test(seconds) || Number.isNaN(instant.getTime())) return escapeHtml(unescapeSlack(fallback ?? target));
  const formatted = format.replace(/\{(\w+)\}/g, (whole, name: string) => dateField(name, instant, viewer) ?? whole);
  const text = escapeHtml(formatted);
  const body = link && SAFE_LINK.test(link) ? `<a class="mk-link" href="${escapeHtml(link)}" target="_blank" rel="noopener noreferrer">${text}</a>` : text;
  return `<time class="mk-date" datetime="${instant.toISOString()}">${body}</time>`;
}

function dateField(name: string, instant: Date, viewer: Viewer): string | undefined {
  const fmt = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(viewer.locale, { timeZone: viewer.timeZone, ...options }).format(instant);
  const pretty = (otherwise: () => string) => relativeDay(instant, viewer) ?? otherwise();
  switch (name) {
    case 'date_num':
      return new Intl.DateTimeFormat('en-CA', { timeZone: viewer.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
    case 'date':
      return fmt({ year: 'numeric', month: 'long', day: 'numeric' });
    case 'date_short':
      return fmt({ year: 'numeric', month: 'short', day: 'numeric' });
    case 'date_long':
      return fmt({ weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
    case 'date_pretty':
      return pretty(() => fmt({ year: 'numeric', month: 'long', day: 'numeric' }));
    case 'date_short_pretty':
      return pretty(() => fmt({ year: 'numeric', month: 'short', day: 'numeric' }));
    case 'date_long_pretty':
      return pretty(() => fmt({ weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }));
    case 'time':
      return fmt({ hour: 'numeric', minute: '2-digit' });
    case 'time_secs':
      return fmt({ hour: 'numeric', minute: '2-digit', second: '2-digit' });
    case 'ago':
      return fmt({ year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
    default:
      return undefined;
  }
}

/** Today / Yesterday / Tomorrow in the viewer's language, as Slack's "pretty" formats say. */
function relativeDay(instant: Date, viewer: Viewer): string | undefined {
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: viewer.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const diff = (Date.parse(day(instant)) - Date.parse(day(viewer.now))) / 86_400_000;
  if (Math.abs(diff) > 1) return undefined;
  const words = new Intl.RelativeTimeFormat(viewer.locale, { numeric: 'auto' }).format(diff, 'day');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
