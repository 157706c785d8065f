import { describe, expect, it } from 'vitest';
import type { Logger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';
import { command, readable } from '../support/flows.js';
import { FACILITATOR, FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

const ANA = 'U0ANA';
const GUEST = 'U0GUEST';
const SINGLE = 'U0SINGLE';

/** A logger that keeps what it is given, to see what an operator would read. */
function recordingLogger(lines: string[]): Logger {
  const keep = (level: string) => (...parts: unknown[]) => void lines.push(`${level} ${parts.map(String).join(' ')}`);
  return { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error'), setLevel: () => undefined, getLevel: () => LogLevel.ERROR, setName: () => undefined };
}

async function homeOf(h: Harness, userId: string, eventTs: string): Promise<string> {
  const before = h.standIn.callsTo('views.publish').length;
  await h.driver.event({ type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: eventTs });
  await h.standIn.waitFor('views.publish', () => h.standIn.callsTo('views.publish').length > before);
  return JSON.stringify(h.standIn.callsTo('views.publish').at(-1)?.args.view);
}

describe('facilitator rights', () => {
  const logged: string[] = [];
  let h: Harness;
  useTandem((harness) => {
    h = harness;
    logged.length = 0;
  }, { logger: recordingLogger(logged), config: { facilitatorUserIds: ['U0LISTED'] } });

  it('gives no rights to the members of a public channel, only to FACILITATOR_USER_IDS, and logs it as a problem', async () => {
    h.standIn.setChannelMembers(FACILITATOR_CHANNEL, [FACILITATOR, 'UBOT'], { name: 'mentoring', isPrivate: false });
    expect(await h.tandem.deps.facilitators.standing()).toBe('public');
    expect(await h.tandem.deps.facilitators.isFacilitator(FACILITATOR)).toBe(false);
    expect(await h.tandem.deps.facilitators.isFacilitator('U0LISTED')).toBe(true);
    expect(await h.tandem.deps.facilitators.all()).toEqual(['U0LISTED']);
    const problems = logged.filter((l) => l.startsWith('error'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('Make #mentoring private or use a private channel');
    // A member of the public channel is refused a facilitator command.
    const reply = await command(h, FACILITATOR, 'stats');
    expect(readable(reply)).toContain('Only facilitators can do this');
  });

  it('never counts guests, multi- or single-channel, even in the private channel', async () => {
    h.standIn.setUser(GUEST, { restricted: true });
    h.standIn.setUser(SINGLE, { restricted: true, ultraRestricted: true });
    h.standIn.setChannelMembers(FACILITATOR_CHANNEL, [FACILITATOR, GUEST, SINGLE, 'UBOT']);
    const facilitators = h.tandem.deps.facilitators;
    expect(await facilitators.isFacilitator(FACILITATOR)).toBe(true);
    expect(await facilitators.isFacilitator(GUEST)).toBe(false);
    expect(await facilitators.isFacilitator(SINGLE)).toBe(false);
    expect(await homeOf(h, GUEST, '1.1')).not.toContain('You are a facilitator');
  });

  it('takes rights away as soon as Slack says someone left the channel, and gives them on joining', async () => {
    expect(await homeOf(h, FACILITATOR, '1.1')).toContain('You are a facilitator');
    h.standIn.setChannelMembers(FACILITATOR_CHANNEL, ['UBOT']);
    await h.driver.event({ type: 'member_left_channel', user: FACILITATOR, channel: FACILITATOR_CHANNEL, channel_type: 'G', event_ts: '1.2' });
    expect(await homeOf(h, FACILITATOR, '1.3')).not.toContain('You are a facilitator');
    expect(readable(await command(h, FACILITATOR, 'stats'))).toContain('Only facilitators can do this');
    h.standIn.setChannelMembers(FACILITATOR_CHANNEL, [ANA, 'UBOT']);
    await h.driver.event({ type: 'member_joined_channel', user: ANA, channel: FACILITATOR_CHANNEL, channel_type: 'G', event_ts: '1.4' });
    expect(await h.tandem.deps.facilitators.isFacilitator(ANA)).toBe(true);
  });

  it('does not keep a listing that was under way when someone left', async () => {
    const facilitators = h.tandem.deps.facilitators;
    h.standIn.fail('users.info', { kind: 'slow', delayMs: 300 }, 2);
    const stale = facilitators.isFacilitator(FACILITATOR);
    await h.standIn.waitFor('conversations.members');
    h.standIn.setChannelMembers(FACILITATOR_CHANNEL, ['UBOT']);
    await h.driver.event({ type: 'member_left_channel', user: FACILITATOR, channel: FACILITATOR_CHANNEL, channel_type: 'G', event_ts: '2.1' });
    expect(await stale).toBe(true);
    expect(await facilitators.isFacilitator(FACILITATOR)).toBe(false);
  });
});
