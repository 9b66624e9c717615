import type { ChannelDefinition } from './channel.js';
import type { SpeakerOutlet } from '../../ports/index.js';
import type { OutboxItem } from '../../store/index.js';
import type { Channel, DeliveryPayload, DeliveryResult } from '../delivery.js';

/** Tells the resident who is coming, on the home's speakers (an `announce` command, on whatever platform the speaker is). */
export class SpeakerAnnounceChannel implements Channel {
  readonly name = 'speaker';

  constructor(private readonly speakers: Pick<SpeakerOutlet, 'announce'>) {}

  async send(item: OutboxItem, payload: DeliveryPayload): Promise<DeliveryResult> {
    if (!payload.announce) return { ok: false, permanent: true, error: 'nothing to announce' };
    try {
      const sent = await this.speakers.announce(item.target, payload.announce.text, payload.announce.lang);
      return sent > 0 ? { ok: true } : { ok: false, permanent: true, error: 'the home has no speaker' };
    } catch (error) {
      return { ok: false, permanent: false, error: `announce failed: ${(error as Error).message}` };
    }
  }
}

/** The home's own speakers, when the network says a claim is announced there. */
export const speakerAnnounce: ChannelDefinition = {
  name: 'speaker',
  create: ({ speakers }) => new SpeakerAnnounceChannel(speakers),
};
