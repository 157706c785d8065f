import { describe, expect, it } from 'vitest';
import { nudgeMessage } from '../../src/features/escalations/views.js';

describe('the nudge', () => {
  it('names the next step the pair can take where it stands', () => {
    expect(nudgeMessage('en', 'UJ', 'US', 'UF', 'introduced').text).toContain('press *Accept* or *Decline*');
    expect(nudgeMessage('en', 'UJ', 'US', 'UF', 'accepted').text).toContain('/tandem contract');
    expect(nudgeMessage('en', 'UJ', 'US', 'UF', 'active').text).toContain('/tandem checkin');
    expect(nudgeMessage('fr', 'UJ', 'US', 'UF', 'accepted').text).toContain('/tandem contract');
    for (const status of ['introduced', 'accepted', 'active']) {
      expect(nudgeMessage('en', 'UJ', 'US', 'UF', status).text).toContain('<@UF>');
    }
  });
});
