import { describe, expect, it } from 'vitest';
import { checkMessage, checkView, viewSubmissionAckViolations } from '../../src/sandbox/block-kit-limits.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const section = (text: string, blockId?: string) => ({ type: 'section', ...(blockId ? { block_id: blockId } : {}), text: { type: 'mrkdwn', text } });
const button = (actionId: string, text = 'Go') => ({ type: 'button', action_id: actionId, text: plain(text) });

const validModal = {
  type: 'modal',
  callback_id: 'contract',
  title: plain('Your contract'),
  submit: plain('Save'),
  close: plain('Cancel'),
  private_metadata: JSON.stringify({ pairId: 1 }),
  blocks: [
    { type: 'header', text: plain('Goals') },
    section('What do you both want out of this?', 'intro'),
    {
      type: 'input',
      block_id: 'goal',
      label: plain('Goal'),
      hint: plain('One sentence'),
      element: { type: 'plain_text_input', action_id: 'goal_input', max_length: 300, placeholder: plain('e.g. learn TikTok') },
    },
    {
      type: 'input',
      block_id: 'cadence',
      label: plain('Cadence'),
      element: {
        type: 'static_select',
        action_id: 'cadence_select',
        options: [{ text: plain('Weekly'), value: 'weekly' }, { text: plain('Fortnightly'), value: 'fortnightly' }],
        initial_option: { text: plain('Weekly'), value: 'weekly' },
      },
    },
    { type: 'actions', elements: [button('a'), button('b')] },
    { type: 'context', elements: [{ type: 'mrkdwn', text: '_Private to you two_' }] },
  ],
};

describe('checkView', () => {
  it('accepts a valid modal and a valid home tab', () => {
    expect(checkView(validModal)).toEqual([]);
    expect(checkView({ type: 'home', blocks: [section('Hi'), { type: 'divider' }] })).toEqual([]);
  });

  it('reports a 25-character modal title with its path', () => {
    expect(checkView({ ...validModal, title: plain('x'.repeat(25)) })).toEqual(['/title/text: must be at most 24 characters (got 25)']);
  });

  it('requires a plain_text title, a type and submit when inputs are present', () => {
    expect(checkView({ ...validModal, title: { type: 'mrkdwn', text: '*Hi*' } })).toContain('/title/type: must be plain_text (got mrkdwn)');
    expect(checkView({ ...validModal, title: undefined })).toContain('/title: is required');
    expect(checkView({ ...validModal, submit: undefined })).toContain('/submit: is required when the modal has input blocks');
    expect(checkView({ blocks: [] })).toEqual(['/type: a view must be an object with type "modal" or "home"']);
  });

  it('caps views at 100 blocks and private_metadata at 3000 characters', () => {
    const blocks = Array.from({ length: 101 }, () => ({ type: 'divider' }));
    expect(checkView({ type: 'home', blocks })).toEqual(['/blocks: must have at most 100 blocks (got 101)']);
    expect(checkView({ ...validModal, private_metadata: 'x'.repeat(3001) })).toEqual(['/private_metadata: must be at most 3000 characters (got 3001)']);
  });

  it('reports select options that break limits and an initial_option that is not an option', () => {
    const select = {
      type: 'static_select',
      action_id: 's',
      options: [{ text: { type: 'mrkdwn', text: 'a' }, value: 'v'.repeat(151) }],
      initial_option: { text: plain('zzz'), value: 'zzz' },
    };
    const view = { type: 'home', blocks: [{ type: 'actions', elements: [select] }] };
    expect(checkView(view)).toEqual([
      '/blocks/0/elements/0/options/0/text/type: must be plain_text (got mrkdwn)',
      '/blocks/0/elements/0/options/0/value: must be at most 150 characters (got 151)',
      '/blocks/0/elements/0/initial_option: must exactly match one of the options',
    ]);
  });

  it('reports duplicate block_ids and long labels, hints and placeholders', () => {
    const input = {
      type: 'input',
      block_id: 'intro',
      label: plain('l'.repeat(2001)),
      element: { type: 'plain_text_input', action_id: 'x', placeholder: plain('p'.repeat(151)), max_length: 3001 },
    };
    expect(checkView({ ...validModal, blocks: [...validModal.blocks, input] })).toEqual([
      '/blocks/6/block_id: duplicate block_id "intro" (must be unique)',
      '/blocks/6/label/text: must be at most 2000 characters (got 2001)',
      '/blocks/6/element/placeholder/text: must be at most 150 characters (got 151)',
      '/blocks/6/element/max_length: must be an integer between 0 and 3000',
    ]);
  });
});

describe('checkMessage', () => {
  it('accepts an ordinary message', () => {
    expect(checkMessage({ text: 'hello', blocks: [section('hello'), { type: 'actions', elements: [button('yes'), button('no')] }] })).toEqual([]);
  });

  it('caps messages at 50 blocks', () => {
    expect(checkMessage({ text: 't', blocks: Array.from({ length: 51 }, () => section('x')) })).toEqual(['/blocks: must have at most 50 blocks (got 51)']);
  });

  it('caps section text at 3000 and fields at 10 × 2000', () => {
    expect(checkMessage({ blocks: [section('x'.repeat(3001))] })).toEqual(['/blocks/0/text/text: must be at most 3000 characters (got 3001)']);
    const fields = Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'y'.repeat(2001) }));
    const found = checkMessage({ blocks: [{ type: 'section', fields }] });
    expect(found[0]).toBe('/blocks/0/fields: must have at most 10 fields (got 11)');
    expect(found).toContain('/blocks/0/fields/10/text: must be at most 2000 characters (got 2001)');
  });

  it('reports duplicate action_ids within a block but allows them across blocks', () => {
    const dup = { type: 'actions', elements: [button('pick'), button('pick')] };
    expect(checkMessage({ blocks: [dup] })).toEqual(['/blocks/0/elements/1/action_id: duplicate action_id "pick" in the same block (must be unique)']);
    expect(checkMessage({ blocks: [{ type: 'actions', elements: [button('pick')] }, { type: 'actions', elements: [button('pick')] }] })).toEqual([]);
  });

  it('enforces header, button, context and actions limits', () => {
    const blocks = [
      { type: 'header', text: { type: 'mrkdwn', text: 'h'.repeat(151) } },
      { type: 'actions', elements: [{ ...button('b', 'x'.repeat(76)), value: 'v'.repeat(2001), url: 'u'.repeat(3001) }] },
      { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'plain_text', text: 'c' })) },
      { type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`b${i}`)) },
    ];
    expect(checkMessage({ blocks })).toEqual([
      '/blocks/0/text/type: must be plain_text (got mrkdwn)',
      '/blocks/0/text/text: must be at most 150 characters (got 151)',
      '/blocks/1/elements/0/text/text: must be at most 75 characters (got 76)',
      '/blocks/1/elements/0/value: must be at most 2000 characters (got 2001)',
      '/blocks/1/elements/0/url: must be at most 3000 characters (got 3001)',
      '/blocks/2/elements: must have at most 10 elements (got 11)',
      '/blocks/3/elements: must have at most 25 elements (got 26)',
    ]);
  });

  it('refuses input blocks, empty text, unknown block types and over-long text', () => {
    const input = { type: 'input', label: plain('Name'), element: { type: 'plain_text_input', action_id: 'n' } };
    expect(checkMessage({ blocks: [input, section(''), { type: 'sektion' }], text: 'x'.repeat(40_001) })).toEqual([
      '/text: must be at most 40000 characters (got 40001)',
      '/blocks/0/type: input blocks are only allowed in modals and Home tabs',
      '/blocks/1/text/text: must be at least 1 character',
      '/blocks/2/type: unknown block type "sektion"',
    ]);
  });

  it('checks image alt_text and long ids', () => {
    const image = { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'a'.repeat(2001), block_id: 'b'.repeat(256) };
    expect(checkMessage({ blocks: [image] })).toEqual([
      '/blocks/0/block_id: must be at most 255 characters (got 256)',
      '/blocks/0/alt_text: must be at most 2000 characters (got 2001)',
    ]);
  });
});

describe('viewSubmissionAckViolations', () => {
  it('accepts an empty ack and errors keyed by input block_ids', () => {
    expect(viewSubmissionAckViolations(undefined, validModal)).toEqual([]);
    expect(viewSubmissionAckViolations({ response_action: 'errors', errors: { goal: 'Too vague' } }, validModal)).toEqual([]);
  });

  it('flags errors for blocks that are not inputs and invalid pushed views', () => {
    expect(viewSubmissionAckViolations({ response_action: 'errors', errors: { intro: 'x' } }, validModal)).toEqual([
      { path: '/errors/intro', rule: '"intro" is not the block_id of an input block in the view' },
    ]);
    const pushed = { response_action: 'push', view: { ...validModal, title: plain('t'.repeat(30)) } };
    expect(viewSubmissionAckViolations(pushed, validModal)).toEqual([{ path: '/view/title/text', rule: 'must be at most 24 characters (got 30)' }]);
  });
});
