import type { DeviceCommand, Language } from '@mimamori/contract';

/** A check-in prompt as the hub composes it; each speaker platform adds its own command id. */
export type Prompt = Omit<Extract<DeviceCommand, { type: 'prompt' }>, 'type' | 'id'>;

/** A rule's question to the resident before it alerts anyone ("エアコンをつけましょう"), answered like a check-in. */
export interface Question {
  homeId: string;
  residentId: string | undefined;
  rule: string;
  promptId: string;
  text: { ja: string; en: string };
  expiresAt: number;
}

/**
 * How the hub speaks to a resident, whatever speaker the home has (an MQTT speaker, an Echo):
 * check-ins, their withdrawal, rules' questions and announcements ("○○さんが向かっています").
 * The speakers module implements it over its platforms.
 */
export interface SpeakerOutlet {
  /** Puts a prompt to every speaker of the home; false when the home has none to say it. */
  prompt(homeId: string, prompt: Prompt): boolean;
  cancel(homeId: string, promptId: string): void;
  ask(question: Question): void;
  /** Says it on every speaker of the home; resolves to how many were told (0: none to tell). */
  announce(homeId: string, text: string, lang: Language): Promise<number>;
}
