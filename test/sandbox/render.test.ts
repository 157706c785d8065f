import { describe, expect, it } from 'vitest';
import { renderBlocks, renderMessage, UNSUPPORTED_CLASS, type RenderContext } from '../../src/sandbox/render/blocks.js';
import { mrkdwn, type Viewer } from '../../src/sandbox/render/mrkdwn.js';

const viewer = (timeZone = 'Asia/Tokyo', locale = 'en-US'): Viewer => ({
  locale,
  timeZone,
  now: new Date('2027-03-01T09:00:00Z'),
  userName: (id) => ({ U0AMELIE: 'Amélie Tremblay' })[id],
  channelName: (id) => ({ G0FACILITATORS: 'tandem-facilitators' })[id],
});
const ctx: RenderContext = { viewer: viewer(), optional: '(optional)', people: [{ id: 'U0AMELIE', name: 'Amélie Tremblay' }], channels: [] };

describe('mrkdwn as Slack shows it', () => {
  it('formats bold, italic, strike and code, and leaves code unformatted', () => {
    expect(mrkdwn('*bold* _it_ ~gone~ `a *b*`', viewer())).toBe('<b>bold</b> <i>it</i> <s>gone</s> <code class="mk-code">a *b*</code>');
    expect(mrkdwn('```\nx = *y*\n```', viewer())).toBe('<pre class="mk-pre">x = *y*\n</pre>');
  });

  it('shows links, mentions by name and channels by name', () => {
    expect(mrkdwn('<https://example.org/a?b=1&amp;c=2|the guide>', viewer())).toBe('<a class="mk-link" href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the guide</a>');
    expect(mrkdwn('Hi <@U0AMELIE>, see <#G0FACILITATORS>', viewer())).toContain('@Amélie Tremblay</span>, see <span class="mk-channel" data-channel="G0FACILITATORS">#tandem-facilitators</span>');
    expect(mrkdwn('<javascript:alert(1)|click>', viewer())).toBe('click');
  });

  it('shows quotes and lists as blocks', () => {
    expect(mrkdwn('&gt; quoted\n• one\n• two', viewer())).toBe('<blockquote class="mk-quote">quoted</blockquote><ul class="mk-list"><li>one</li><li>two</li></ul>');
    expect(mrkdwn('1. first\n2. second', viewer())).toBe('<ol class="mk-list"><li>first</li><li>second</li></ol>');
  });

  it('shows <!date^…> in the viewer’s own time zone', () => {
    const seconds = Date.parse('2027-03-02T23:30:00Z') / 1000;
    const text = `<!date^${seconds}^{date_num} {time}|fallback>`;
    expect(mrkdwn(text, viewer('Asia/Tokyo'))).toContain('2027-03-03 8:30 AM');
    expect(mrkdwn(text, viewer('America/Toronto'))).toContain('2027-03-02 6:30 PM');
  });

  it('escapes HTML, so a name or an answer cannot inject a script', () => {
    expect(mrkdwn('&lt;script&gt;alert(1)&lt;/script&gt; "x"', viewer())).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &quot;x&quot;');
    expect(renderMessage({ text: '<img src=x onerror=alert(1)>' }, ctx)).not.toContain('<img');
  });
});

describe('Block Kit as HTML', () => {
  it('renders every block and element kind Tandem sends, and marks what it does not know', () => {
    const html = renderBlocks(
      [
        { type: 'header', block_id: 'h', text: { type: 'plain_text', text: 'Title' } },
        { type: 'section', block_id: 's', text: { type: 'mrkdwn', text: '*x*' }, fields: [{ type: 'mrkdwn', text: 'a' }], accessory: { type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Go' }, style: 'primary' } },
        { type: 'input', block_id: 'i', optional: true, label: { type: 'plain_text', text: 'Label' }, element: { type: 'static_select', action_id: 'pick', option_groups: [{ label: { type: 'plain_text', text: 'G' }, options: [{ text: { type: 'plain_text', text: 'A' }, value: 'a' }] }] } },
        { type: 'actions', block_id: 'a', elements: [{ type: 'button', action_id: 'no', style: 'danger', text: { type: 'plain_text', text: 'No' }, confirm: { title: { type: 'plain_text', text: 'Sure?' }, text: { type: 'plain_text', text: 'Really' }, confirm: { type: 'plain_text', text: 'Yes' }, deny: { type: 'plain_text', text: 'Back' } } }] },
        { type: 'video', block_id: 'v' },
      ],
      { ...ctx, errors: { i: 'Pick one.' } },
    );
    expect(html).toContain('<div class="bk-block bk-header" data-block-id="h">Title</div>');
    expect(html).toContain('class="bk-button bk-primary"');
    expect(html).toContain('<optgroup label="G"><option value="a">A</option></optgroup>');
    expect(html).toContain('<div class="bk-error" role="alert">Pick one.</div>');
    expect(html).toContain('data-bk-confirm=');
    expect(html.match(new RegExp(UNSUPPORTED_CLASS, 'g'))?.length).toBe(1);
  });
});
