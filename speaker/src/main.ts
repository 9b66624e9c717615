import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceLink, type Log } from '@mimamori/device-link';
import { type Clock } from '@mimamori/contract';
import { chimeWav } from './audio/chime.js';
import { createAudioOut } from './audio/audio-out.js';
import { buttonSources } from './buttons/button-sources.js';
import { ButtonPresses, type ButtonPress } from './buttons/button-presses.js';
import type { CredentialsFile, SpeakerSettings } from './config.js';
import { Deliveries } from './conversation/deliveries.js';
import { Outbox } from './conversation/outbox.js';
import { SpeakerApp } from './conversation/speaker-app.js';
import { MicrophoneRecogniser } from './listen/microphone.js';
import { DEFAULT_ENDPOINTING } from './listen/endpointing.js';
import type { Recogniser } from './listen/recogniser.js';
import { loadSherpaDecoder } from './listen/sherpa-decoder.js';
import { createSynthesiser } from './speech/tts.js';
import { Voice, type Mouth } from './speech/voice.js';

export interface RunningSpeaker {
  /** Presses from somewhere other than the configured buttons (the console). */
  press(press: ButtonPress): void;
  stop(): Promise<void>;
}

export interface SpeakerOptions {
  settings: SpeakerSettings;
  credentials: CredentialsFile;
  clock: Clock;
  log: Log;
  /** Replaces the microphone (console mode: typed words). */
  recogniser?: Recogniser;
  /** Wraps the voice (console mode prints what is said). */
  wrapMouth?: (mouth: Mouth) => Mouth;
}

/**
 * The composition root: builds every part from the settings and credentials, starts them in
 * order (what the speaker kept, then its voice and buttons, then the link to the hub) and
 * stops them in reverse.
 */
export async function startSpeaker(options: SpeakerOptions): Promise<RunningSpeaker> {
  const { settings, credentials, clock, log } = options;
  const workDir = join(settings.stateDir, 'tmp');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const chimeFile = join(settings.stateDir, 'chime.wav');
  writeFileSync(chimeFile, chimeWav());

  const voice = new Voice({
    synthesiser: createSynthesiser(settings.voice, settings.speech),
    audio: createAudioOut(settings.audio, { clock, log }),
    chimeFile,
    workDir,
    log,
  });
  const mouth = options.wrapMouth ? options.wrapMouth(voice) : voice;
  const recogniser = options.recogniser ?? loadRecogniser(settings, log);

  const link = new DeviceLink({
    brokerUrl: credentials.mqttUrl,
    homeId: credentials.homeId,
    credentials,
    // A new prefix each run: the hub drops an event id it has seen (PROTOCOL.md, Event JSON).
    eventIdPrefix: `s${clock.now().toString(36)}${randomBytes(2).toString('hex')}`,
    clock,
    log,
    // The app is built below; the link calls these only once connect() has been called.
    onCommand: (command) => app.onCommand(command),
    onConnectionChange: (connected) => {
      log.info(connected ? 'connected to the hub' : 'not connected to the hub');
      app.onConnection(connected);
    },
    retryRefusedAfterMs: 60_000,
  });
  const outbox = new Outbox({ dir: join(settings.stateDir, 'outbox'), send: (event) => link.send(event), clock, log });
  const kept = outbox.load();
  if (kept > 0) log.info(`${kept} answers or SOS presses kept from before; sent once connected`);
  const deliveries = new Deliveries({
    outbox,
    mouth,
    stamp: (body) => link.stamp(body),
    clock,
    log,
    emergencyNumber: settings.emergencyNumber,
    keptNoticeMs: settings.keptNoticeSeconds * 1000,
    sosUndeliveredMs: settings.sosUndeliveredSeconds * 1000,
  });
  const app = new SpeakerApp({
    link,
    outbox,
    deliveries,
    mouth,
    recogniser,
    clock,
    log,
    settings: {
      language: credentials.language,
      quietHours: settings.quietHours ?? undefined,
      timeZone: settings.timeZone,
      answerWaitMs: settings.answerWaitSeconds * 1000,
      heartbeatMs: settings.heartbeatMinutes * 60_000,
    },
  });
  const presses = new ButtonPresses({
    clock,
    longPressMs: settings.buttons.longPressSeconds * 1000,
    onPress: (press) => app.onPress(press),
  });
  const sources = buttonSources(settings.buttons, presses, { clock, log });

  app.start();
  for (const source of sources) source.start();
  await link.connect({ waitForBroker: false });
  log.info(`speaker ${credentials.deviceId} of home ${credentials.homeId} started; hub at ${credentials.mqttUrl}`);
  return {
    press: (press) => app.onPress(press),
    async stop() {
      for (const source of sources) source.stop();
      presses.releaseAll();
      app.stop();
      voice.stopAll();
      recogniser?.close();
      await link.close();
    },
  };
}

/** The microphone recogniser when a model is configured and present; otherwise buttons only, saying why. */
function loadRecogniser(settings: SpeakerSettings, log: Log): Recogniser | undefined {
  const config = settings.recogniser;
  if (!config) return undefined;
  try {
    const decoder = loadSherpaDecoder(config.model, config.threads);
    log.info(`voice answers on (sherpa-onnx ${config.model.kind}, microphone ${config.microphone})`);
    return new MicrophoneRecogniser({ device: config.microphone, decoder, endpointing: DEFAULT_ENDPOINTING, log });
  } catch (error) {
    log.error(`voice answers off, buttons only: ${(error as Error).message}`);
    return undefined;
  }
}
