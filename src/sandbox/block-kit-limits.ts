/**
 * Pure checks of Block Kit payloads against the limits Slack documents (Block Kit reference,
 * view object reference, chat.postMessage reference). Slack rejects a payload that breaks one of
 * them with `invalid_blocks` / `invalid_arguments`, so the stand-in runs these on every surface the
 * app renders and integration tests fail loudly instead of shipping a message Slack would refuse.
 *
 * Paths are JSON pointers into the checked object ("/blocks/3/text/text"), as Slack reports them in
 * `response_metadata.messages`. Lengths count Unicode code points; Slack does not document whether
 * it counts code points or UTF-16 units, and code points never over-report.
 */

export interface Violation {
  /** JSON pointer of the offending value inside the checked payload. */
  path: string;
  /** Human-readable rule that was broken. */
  rule: string;
}

type Surface = 'message' | 'modal' | 'home';
type Json = Record<string, unknown>;

const MAX_MESSAGE_TEXT = 40_000;
const MAX_MESSAGE_BLOCKS = 50;
const MAX_VIEW_BLOCKS = 100;
const MAX_TEXT_OBJECT = 3000;
const MAX_ID = 255;

/** Every block type in @slack/types 2.x; anything else is a typo Slack would reject. */
const KNOWN_BLOCKS = new Set([
  'actions', 'alert', 'card', 'carousel', 'container', 'context', 'context_actions', 'data_table',
  'divider', 'file', 'header', 'image', 'input', 'markdown', 'plan', 'rich_text', 'section', 'table',
  'task_card', 'video',
]);

const SELECTS = [
  'static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select',
  'multi_static_select', 'multi_external_select', 'multi_users_select', 'multi_conversations_select',
  'multi_channels_select',
];
const ACTIONS_ELEMENTS = new Set([
  'button', 'checkboxes', 'datepicker', 'datetimepicker', 'overflow', 'radio_buttons', 'timepicker',
  'workflow_button', 'rich_text_input', ...SELECTS,
]);
const SECTION_ACCESSORIES = new Set([
  'button', 'checkboxes', 'datepicker', 'image', 'overflow', 'radio_buttons', 'timepicker',
  'workflow_button', ...SELECTS,
]);
const INPUT_ELEMENTS = new Set([
  'checkboxes', 'datepicker', 'datetimepicker', 'email_text_input', 'file_input', 'number_input',
  'plain_text_input', 'radio_buttons', 'rich_text_input', 'timepicker', 'url_text_input', ...SELECTS,
]);
const WITH_PLACEHOLDER = new Set([
  'datepicker', 'timepicker', 'plain_text_input', 'number_input', 'email_text_input', 'url_text_input',
  'rich_text_input', ...SELECTS,
]);

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function length(text: string): number {
  return Array.from(text).length;
}

interface TextRule {
  max: number;
  /** Slack only accepts `plain_text` here (headers, buttons, titles, labels, select options). */
  plainOnly?: boolean;
  required?: boolean;
}

interface OptionRule {
  min: number;
  max: number;
  plainOnly: boolean;
}

/** Walks one payload, collecting violations; one instance per check so ids are tracked per surface. */
class Checker {
  readonly violations: Violation[] = [];
  private readonly blockIds = new Set<string>();

  constructor(private readonly surface: Surface) {}

  report(path: string, rule: string): void {
    this.violations.push({ path, rule });
  }

  maxLength(path: string, value: unknown, max: number): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'string') {
      this.report(path, 'must be a string');
      return;
    }
    const n = length(value);
    if (n > max) this.report(path, `must be at most ${max} characters (got ${n})`);
  }

  textObject(path: string, value: unknown, rule: TextRule): void {
    if (value === undefined || value === null) {
      if (rule.required) this.report(path, 'is required');
      return;
    }
    if (!isRecord(value)) {
      this.report(path, 'must be a text object');
      return;
    }
    if (rule.plainOnly && value.type !== 'plain_text') {
      this.report(`${path}/type`, `must be plain_text (got ${String(value.type)})`);
    } else if (value.type !== 'plain_text' && value.type !== 'mrkdwn') {
      this.report(`${path}/type`, `must be plain_text or mrkdwn (got ${String(value.type)})`);
    }
    if (typeof value.text !== 'string') {
      this.report(`${path}/text`, 'must be a string');
    } else if (value.text.length === 0) {
      this.report(`${path}/text`, 'must be at least 1 character');
    } else {
      this.maxLength(`${path}/text`, value.text, Math.min(rule.max, MAX_TEXT_OBJECT));
    }
  }

  array(path: string, value: unknown, min: number, max: number, what: string): unknown[] {
    if (!Array.isArray(value)) {
      this.report(path, `must be an array of ${what}`);
      return [];
    }
    if (value.length < min) this.report(path, `must have at least ${min} ${what} (got ${value.length})`);
    if (value.length > max) this.report(path, `must have at most ${max} ${what} (got ${value.length})`);
    return value;
  }

  blocks(path: string, value: unknown, max: number): void {
    for (const [i, block] of this.array(path, value, 0, max, 'blocks').entries()) {
      this.block(`${path}/${i}`, block);
    }
  }

  private blockId(path: string, value: unknown): void {
    if (value === undefined) return;
    this.maxLength(path, value, MAX_ID);
    if (typeof value !== 'string') return;
    if (this.blockIds.has(value)) this.report(path, `duplicate block_id "${value}" (must be unique)`);
    this.blockIds.add(value);
  }

  private block(path: string, block: unknown): void {
    if (!isRecord(block)) {
      this.report(path, 'must be a block object');
      return;
    }
    this.blockId(`${path}/block_id`, block.block_id);
    const actionIds = new Set<string>();
    switch (block.type) {
      case 'section':
        this.section(path, block, actionIds);
        break;
      case 'header':
        this.textObject(`${path}/text`, block.text, { max: 150, plainOnly: true, required: true });
        break;
      case 'context':
        this.context(path, block);
        break;
      case 'actions':
        for (const [i, el] of this.array(`${path}/elements`, block.elements, 1, 25, 'elements').entries()) {
          this.element(`${path}/elements/${i}`, el, ACTIONS_ELEMENTS, 'actions', actionIds);
        }
        break;
      case 'input':
        this.input(path, block, actionIds);
        break;
      case 'image':
        this.image(path, block);
        this.textObject(`${path}/title`, block.title, { max: 2000, plainOnly: true });
        break;
      case 'markdown':
        this.maxLength(`${path}/text`, block.text, 12_000);
        break;
      default:
        if (typeof block.type !== 'string' || !KNOWN_BLOCKS.has(block.type)) {
          this.report(`${path}/type`, `unknown block type ${JSON.stringify(block.type)}`);
        }
    }
  }

  private section(path: string, block: Json, actionIds: Set<string>): void {
    if (block.text === undefined && block.fields === undefined) {
      this.report(path, 'a section needs text or fields');
    }
    this.textObject(`${path}/text`, block.text, { max: 3000 });
    if (block.fields !== undefined) {
      for (const [i, field] of this.array(`${path}/fields`, block.fields, 1, 10, 'fields').entries()) {
        this.textObject(`${path}/fields/${i}`, field, { max: 2000, required: true });
      }
    }
    if (block.accessory !== undefined) {
      this.element(`${path}/accessory`, block.accessory, SECTION_ACCESSORIES, 'section', actionIds);
    }
  }

  private context(path: string, block: Json): void {
    for (const [i, el] of this.array(`${path}/elements`, block.elements, 1, 10, 'elements').entries()) {
      const elPath = `${path}/elements/${i}`;
      if (isRecord(el) && el.type === 'image') this.image(elPath, el);
      else this.textObject(elPath, el, { max: MAX_TEXT_OBJECT, required: true });
    }
  }

  private input(path: string, block: Json, actionIds: Set<string>): void {
    if (this.surface === 'message') {
      this.report(`${path}/type`, 'input blocks are only allowed in modals and Home tabs');
    }
    this.textObject(`${path}/label`, block.label, { max: 2000, plainOnly: true, required: true });
    this.textObject(`${path}/hint`, block.hint, { max: 2000, plainOnly: true });
    if (block.element === undefined) this.report(`${path}/element`, 'is required');
    else this.element(`${path}/element`, block.element, INPUT_ELEMENTS, 'input', actionIds);
  }

  private image(path: string, image: Json): void {
    if (image.image_url === undefined && image.slack_file === undefined) {
      this.report(path, 'an image needs image_url or slack_file');
    }
    this.maxLength(`${path}/image_url`, image.image_url, 3000);
    if (image.alt_text === undefined) this.report(`${path}/alt_text`, 'is required');
    this.maxLength(`${path}/alt_text`, image.alt_text, 2000);
  }

  private element(path: string, el: unknown, allowed: ReadonlySet<string>, container: string, actionIds: Set<string>): void {
    if (!isRecord(el)) {
      this.report(path, 'must be an element object');
      return;
    }
    const type = String(el.type);
    if (!allowed.has(type)) {
      this.report(`${path}/type`, `element type "${type}" is not allowed in a ${container} block`);
      return;
    }
    if (type !== 'image') this.actionId(`${path}/action_id`, el.action_id, actionIds);
    if (WITH_PLACEHOLDER.has(type)) this.textObject(`${path}/placeholder`, el.placeholder, { max: 150, plainOnly: true });
    this.confirm(`${path}/confirm`, el.confirm);
    this.elementSpecifics(path, type, el);
  }

  private elementSpecifics(path: string, type: string, el: Json): void {
    switch (type) {
      case 'button':
      case 'workflow_button':
        this.textObject(`${path}/text`, el.text, { max: 75, plainOnly: true, required: true });
        this.maxLength(`${path}/value`, el.value, 2000);
        this.maxLength(`${path}/url`, el.url, 3000);
        this.maxLength(`${path}/accessibility_label`, el.accessibility_label, 75);
        break;
      case 'static_select':
      case 'multi_static_select':
        this.staticSelect(path, el);
        break;
      case 'overflow':
        this.options(`${path}/options`, el.options, { min: 1, max: 5, plainOnly: true });
        break;
      case 'checkboxes':
      case 'radio_buttons':
        this.options(`${path}/options`, el.options, { min: 1, max: 10, plainOnly: false });
        this.initialOptionsMatch(path, el, el.options);
        break;
      case 'plain_text_input':
        this.textInput(path, el);
        break;
      case 'number_input':
        if (typeof el.is_decimal_allowed !== 'boolean') this.report(`${path}/is_decimal_allowed`, 'is required (boolean)');
        break;
      case 'datepicker':
        this.pattern(`${path}/initial_date`, el.initial_date, /^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
        break;
      case 'timepicker':
        this.pattern(`${path}/initial_time`, el.initial_time, /^\d{2}:\d{2}$/, 'HH:mm');
        break;
      case 'image':
        this.image(path, el);
        break;
    }
  }

  private actionId(path: string, value: unknown, actionIds: Set<string>): void {
    if (value === undefined) return;
    this.maxLength(path, value, MAX_ID);
    if (typeof value !== 'string') return;
    if (actionIds.has(value)) this.report(path, `duplicate action_id "${value}" in the same block (must be unique)`);
    actionIds.add(value);
  }

  private confirm(path: string, value: unknown): void {
    if (value === undefined) return;
    if (!isRecord(value)) {
      this.report(path, 'must be a confirmation dialog object');
      return;
    }
    this.textObject(`${path}/title`, value.title, { max: 100, plainOnly: true });
    this.textObject(`${path}/text`, value.text, { max: 300, required: true });
    this.textObject(`${path}/confirm`, value.confirm, { max: 30, plainOnly: true });
    this.textObject(`${path}/deny`, value.deny, { max: 30, plainOnly: true });
  }

  private staticSelect(path: string, el: Json): void {
    if ((el.options === undefined) === (el.option_groups === undefined)) {
      this.report(path, 'a static select needs exactly one of options or option_groups');
      return;
    }
    if (el.options !== undefined) {
      this.options(`${path}/options`, el.options, { min: 1, max: 100, plainOnly: true });
      this.initialOptionsMatch(path, el, el.options);
      return;
    }
    const groups = this.array(`${path}/option_groups`, el.option_groups, 1, 100, 'option groups');
    for (const [i, group] of groups.entries()) {
      const groupPath = `${path}/option_groups/${i}`;
      if (!isRecord(group)) {
        this.report(groupPath, 'must be an option group object');
        continue;
      }
      this.textObject(`${groupPath}/label`, group.label, { max: 75, plainOnly: true, required: true });
      this.options(`${groupPath}/options`, group.options, { min: 1, max: 100, plainOnly: true });
    }
    this.initialOptionsMatch(path, el, groups.flatMap((g) => (isRecord(g) && Array.isArray(g.options) ? g.options : [])));
  }

  private options(path: string, value: unknown, rule: OptionRule): void {
    for (const [i, option] of this.array(path, value, rule.min, rule.max, 'options').entries()) {
      const optionPath = `${path}/${i}`;
      if (!isRecord(option)) {
        this.report(optionPath, 'must be an option object');
        continue;
      }
      this.textObject(`${optionPath}/text`, option.text, { max: 75, plainOnly: rule.plainOnly, required: true });
      this.maxLength(`${optionPath}/value`, option.value, 150);
      this.textObject(`${optionPath}/description`, option.description, { max: 75, plainOnly: true });
      this.maxLength(`${optionPath}/url`, option.url, 3000);
    }
  }

  /** Slack refuses an initial_option(s) that is not one of the element's options. */
  private initialOptionsMatch(path: string, el: Json, options: unknown): void {
    const known = new Set((Array.isArray(options) ? options : []).map(optionKey));
    const initial = el.initial_option !== undefined ? [['initial_option', el.initial_option] as const] : [];
    const initials = Array.isArray(el.initial_options)
      ? el.initial_options.map((o, i) => [`initial_options/${i}`, o] as const)
      : [];
    for (const [key, option] of [...initial, ...initials]) {
      if (!known.has(optionKey(option))) this.report(`${path}/${key}`, 'must exactly match one of the options');
    }
  }

  private textInput(path: string, el: Json): void {
    for (const key of ['min_length', 'max_length'] as const) {
      const n = el[key];
      if (n === undefined) continue;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 3000) {
        this.report(`${path}/${key}`, 'must be an integer between 0 and 3000');
      }
    }
    if (typeof el.min_length === 'number' && typeof el.max_length === 'number' && el.min_length > el.max_length) {
      this.report(`${path}/min_length`, 'must not exceed max_length');
    }
    if (typeof el.max_length === 'number') this.maxLength(`${path}/initial_value`, el.initial_value, el.max_length);
  }

  private pattern(path: string, value: unknown, re: RegExp, format: string): void {
    if (value === undefined) return;
    if (typeof value !== 'string' || !re.test(value)) this.report(path, `must be formatted ${format}`);
  }
}

function optionKey(option: unknown): string {
  if (!isRecord(option)) return '';
  const text = isRecord(option.text) ? option.text.text : undefined;
  return JSON.stringify([text, option.value]);
}

/** Violations of a message payload (chat.postMessage/update/postEphemeral args or a response_url body). */
export function messageViolations(payload: unknown): Violation[] {
  const checker = new Checker('message');
  if (!isRecord(payload)) {
    checker.report('', 'message payload must be an object');
    return checker.violations;
  }
  checker.maxLength('/text', payload.text, MAX_MESSAGE_TEXT);
  if (payload.blocks !== undefined) checker.blocks('/blocks', payload.blocks, MAX_MESSAGE_BLOCKS);
  if (payload.attachments !== undefined) {
    for (const [i, attachment] of checker.array('/attachments', payload.attachments, 0, 100, 'attachments').entries()) {
      if (isRecord(attachment) && attachment.blocks !== undefined) {
        checker.blocks(`/attachments/${i}/blocks`, attachment.blocks, MAX_MESSAGE_BLOCKS);
      }
    }
  }
  return checker.violations;
}

/** Violations of a modal or Home tab view object. */
export function viewViolations(view: unknown): Violation[] {
  if (!isRecord(view) || (view.type !== 'modal' && view.type !== 'home')) {
    return [{ path: '/type', rule: 'a view must be an object with type "modal" or "home"' }];
  }
  const checker = new Checker(view.type);
  if (view.type === 'modal') {
    checker.textObject('/title', view.title, { max: 24, plainOnly: true, required: true });
    checker.textObject('/submit', view.submit, { max: 24, plainOnly: true });
    checker.textObject('/close', view.close, { max: 24, plainOnly: true });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isRecord(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) checker.report('/submit', 'is required when the modal has input blocks');
  }
  checker.maxLength('/private_metadata', view.private_metadata, 3000);
  checker.maxLength('/callback_id', view.callback_id, MAX_ID);
  checker.maxLength('/external_id', view.external_id, MAX_ID);
  checker.blocks('/blocks', view.blocks, MAX_VIEW_BLOCKS);
  return checker.violations;
}

/**
 * Violations of the body an app acks a view_submission with: `errors` keys must name input blocks
 * of the submitted view (otherwise the user never sees the message) and pushed/updated views must
 * themselves be valid.
 */
export function viewSubmissionAckViolations(ack: unknown, submittedView: unknown): Violation[] {
  if (ack === undefined || ack === null || (isRecord(ack) && Object.keys(ack).length === 0)) return [];
  if (!isRecord(ack)) return [{ path: '', rule: 'the ack body must be a JSON object' }];
  switch (ack.response_action) {
    case 'errors':
      return errorsViolations(ack.errors, submittedView);
    case 'update':
    case 'push':
      return prefixed('/view', viewViolations(ack.view));
    case 'clear':
      return [];
    default:
      return [{ path: '/response_action', rule: `unknown response_action ${JSON.stringify(ack.response_action)}` }];
  }
}

function errorsViolations(errors: unknown, submittedView: unknown): Violation[] {
  if (!isRecord(errors) || Object.keys(errors).length === 0) {
    return [{ path: '/errors', rule: 'must be a non-empty object of block_id → message' }];
  }
  const blocks = isRecord(submittedView) && Array.isArray(submittedView.blocks) ? submittedView.blocks : [];
  const inputIds = new Set(blocks.filter((b) => isRecord(b) && b.type === 'input').map((b) => (b as Json).block_id));
  return Object.entries(errors).flatMap(([blockId, message]) => {
    const path = `/errors/${blockId}`;
    if (!inputIds.has(blockId)) return [{ path, rule: `"${blockId}" is not the block_id of an input block in the view` }];
    return typeof message === 'string' ? [] : [{ path, rule: 'must be a string' }];
  });
}

export function prefixed(prefix: string, violations: Violation[]): Violation[] {
  return violations.map((v) => ({ ...v, path: `${prefix}${v.path}` }));
}

export function formatViolation(v: Violation): string {
  return `${v.path || '/'}: ${v.rule}`;
}

export function checkMessage(payload: unknown): string[] {
  return messageViolations(payload).map(formatViolation);
}

export function checkView(view: unknown): string[] {
  return viewViolations(view).map(formatViolation);
}
