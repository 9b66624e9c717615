import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { credentialsFile, SHIPPED_VOICE, speakerSettings } from './config.js';

const issued = {
  mqttUrl: 'mqtts://hub.example.jp:8883',
  homeId: 'home-1',
  deviceId: 'spk-1',
  username: 'spk-1',
  password: 'a-secret',
  topicPrefix: 'mimamori/v1/home-1/spk-1',
};

describe('the credentials file', () => {
  it('reads what staff issue, Japanese unless told', () => {
    expect(credentialsFile.parse(issued)).toEqual({ ...issued, language: 'ja' });
  });

  it.each([
    ['an http URL', { mqttUrl: 'http://hub.example.jp' }, 'mqttUrl'],
    ['a topic prefix of another device', { topicPrefix: 'mimamori/v1/home-2/spk-1' }, 'topicPrefix'],
    ['no secret', { password: '' }, 'password'],
    ['an id that cannot be a topic level', { homeId: 'home/1' }, 'homeId'],
  ])('refuses %s, naming the field and never the secret', (_what, change, field) => {
    const parsed = credentialsFile.safeParse({ ...issued, ...change });
    expect(parsed.success).toBe(false);
    const message = parsed.success ? '' : z.prettifyError(parsed.error);
    expect(message).toContain(field);
    expect(message).not.toContain('a-secret');
  });
});

describe('the speaker settings', () => {
  it('default to the shipped voice, slower speech, ALSA, quiet nights and 119', () => {
    const settings = speakerSettings.parse({});
    expect(settings).toMatchObject({
      voice: { htsVoice: SHIPPED_VOICE, espeakVoice: 'en' },
      speech: { rate: 0.85, volumeDb: 0 },
      audio: { backend: 'aplay' },
      quietHours: { from: '21:00', to: '07:00' },
      emergencyNumber: '119',
      answerWaitSeconds: 20,
      sosUndeliveredSeconds: 60,
    });
    expect(SHIPPED_VOICE).toMatch(/speaker\/voices\/tohoku-f01\/tohoku-f01-neutral\.htsvoice$/);
  });

  it('take a keypad’s keys by name or number, and refuse names they do not know and fields they do not have', () => {
    const keypad = (keys: unknown) => ({ buttons: { input: [{ device: '/dev/input/event0', keys }] } });
    expect(speakerSettings.parse(keypad({ green: ['KEY_F1', 28] })).buttons.input[0]?.keys).toMatchObject({
      green: ['KEY_F1', 28],
      red: ['KEY_3', 'KEY_KP3'],
    });
    expect(speakerSettings.safeParse(keypad({ green: ['KEY_GREEN'] })).success).toBe(false);
    expect(speakerSettings.safeParse({ quietHour: null }).success).toBe(false);
    expect(speakerSettings.safeParse({ timeZone: 'Mars/Olympus' }).success).toBe(false);
  });
});
