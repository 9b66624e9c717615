import type { DeviceCommand } from '@mimamori/contract';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics/index.js';
import type { SpeakerPlatform } from './platform.js';
import { Speakers } from './speakers.js';

/** A platform with one speaker per home (`{homeId}-spk`) that sends through `send`. */
const onePerHome = (send: SpeakerPlatform['send']): SpeakerPlatform => ({
  name: 'test',
  speakersOf: (homeId) => [`${homeId}-spk`],
  send,
});

const HOMES = 300;
const prompt = (i: number) => ({
  promptId: `ck${i}`,
  residentId: `r${i}`,
  text: 'お元気ですか',
  lang: 'ja' as const,
  choices: ['fine' as const],
  items: [],
  expiresAt: '2026-11-24T01:00:00.000Z',
});
const turn = () => new Promise((resolve) => setImmediate(resolve));

function setup(homes: ConstructorParameters<typeof Speakers>[0]['homes'] = { getResident: () => undefined }) {
  const sent: { deviceId: string; command: DeviceCommand }[] = [];
  const pending: (() => void)[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const speakers = new Speakers({
    platforms: [
      onePerHome((_homeId, deviceId, command) => {
        sent.push({ deviceId, command });
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        return new Promise<void>((resolve) => pending.push(() => (inFlight--, resolve())));
      }),
    ],
    homes,
    metrics: createMetrics(),
    logger: pino({ level: 'silent' }),
  });
  const acceptAll = async () => {
    while (pending.length > 0) {
      for (const accept of pending.splice(0)) accept();
      await turn();
    }
  };
  return { speakers, sent, acceptAll, mostInFlight: () => mostInFlight };
}

describe('Speakers', () => {
  it('hands prompts to the platform after the caller’s turn (after its transaction), in order, a bounded number at a time', async () => {
    const { speakers, sent, acceptAll, mostInFlight } = setup();
    for (let i = 0; i < HOMES; i++) expect(speakers.prompt(`h${i}`, prompt(i))).toBe(true);
    expect(sent).toEqual([]);
    await turn();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(HOMES);
    await acceptAll();
    expect(sent.map((s) => s.deviceId)).toEqual(Array.from({ length: HOMES }, (_, i) => `h${i}-spk`));
    expect(mostInFlight()).toBeLessThanOrEqual(64);
    expect(speakers.queued).toBe(0);
  });

  it('keeps sending after a failed command', async () => {
    const sent: string[] = [];
    const speakers = new Speakers({
      platforms: [
        onePerHome(
          (homeId) => (sent.push(homeId), homeId === 'h0' ? Promise.reject(new Error('gone')) : Promise.resolve()),
        ),
      ],
      homes: { getResident: () => undefined },
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
    });
    speakers.prompt('h0', prompt(0));
    speakers.cancel('h1', 'ck1');
    for (let i = 0; i < 5; i++) await turn();
    expect(sent).toEqual(['h0', 'h1']);
  });

  it('marks a rule’s question urgent, in the resident’s language, so a speaker says it even at night', async () => {
    const { speakers, sent } = setup({ getResident: () => ({ id: 'r1', language: 'en' }) as never });
    speakers.ask({
      homeId: 'h1',
      residentId: 'r1',
      rule: 'environment.heat',
      promptId: 'environment.heat_1',
      text: { ja: '室温が31℃まで上がっています。', en: 'The room is at 31°C.' },
      expiresAt: Date.parse('2026-08-01T02:00:00Z'),
    });
    await turn();
    expect(sent.map((s) => s.command)).toMatchObject([
      { type: 'prompt', promptId: 'environment.heat_1', text: 'The room is at 31°C.', lang: 'en', urgent: true },
    ]);
  });

  it('leaves a scheduled check-in’s prompt unmarked, so a speaker may hold it in the night', async () => {
    const { speakers, sent } = setup();
    speakers.prompt('h0', prompt(0));
    await turn();
    expect(sent[0]?.command).not.toHaveProperty('urgent');
  });
});
