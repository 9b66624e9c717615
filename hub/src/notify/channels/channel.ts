import type { Config } from '../../config/index.js';
import type { SpeakerOutlet } from '../../ports/index.js';
import type { Contact, UserRepository } from '../../store/index.js';
import type { Channel } from '../delivery.js';
import type { VapidKeys } from './web-push.js';

/** What a channel may need to be set up: the notification settings and the hub's services. */
export interface ChannelContext {
  settings: Config['notify'];
  vapid: VapidKeys;
  users: Pick<UserRepository, 'removePushSubscription'>;
  speakers: Pick<SpeakerOutlet, 'announce'>;
  timeoutMs: number;
}

/**
 * One way of reaching people, as data: its name (which outbox rows and the network's
 * configuration use), which of a person's addresses it reaches them at, and how it is set up.
 * A new channel (SMS, LINE) is a file defining this and a line in `CHANNELS`; the notification
 * queue and the notifier loop over the list and know no channel by name.
 */
export interface ChannelDefinition {
  name: string;
  /**
   * The person's addresses this channel reaches them at (their e-mail, each browser they
   * subscribed); none for channels that reach what the network names (a webhook, the home's speakers).
   */
  addressesOf?(contact: Contact): readonly string[];
  /** The channel as this configuration has it, or undefined when it is not set up (no SMTP server). */
  create(context: ChannelContext): Channel | undefined;
}
