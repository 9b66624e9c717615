import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { credentialsFile, readJsonFile, type SpeakerSettings } from './config.js';
import { loadSherpaDecoder } from './listen/sherpa-decoder.js';
import { missingProgram } from './system/run.js';

type Finding = { ok: boolean; what: string; detail: string };

const installed = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const program = (command: string, why: string): Finding =>
  installed(command)
    ? { ok: true, what: command, detail: why }
    : { ok: false, what: command, detail: `${missingProgram(command).message}: ${why}` };
const path = (file: string, what: string, mode = constants.R_OK): Finding => {
  try {
    accessSync(file, mode);
    return { ok: true, what, detail: file };
  } catch (error) {
    return { ok: false, what, detail: `${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
};

/**
 * What an installer checks before leaving the home (`mimamori-speaker check`): the settings and
 * credentials read, the programs and voice are there, the buttons can be read. Prints one line
 * per check and returns 1 if any failed. Says nothing of the secret.
 */
export function checkInstallation(settings: SpeakerSettings, print: (line: string) => void): number {
  const findings: Finding[] = [];
  try {
    const credentials = readJsonFile(settings.credentials, credentialsFile, 'credentials file');
    findings.push({
      ok: true,
      what: 'credentials',
      detail: `device ${credentials.deviceId} of home ${credentials.homeId}, hub ${credentials.mqttUrl}, ${credentials.language}`,
    });
  } catch (error) {
    findings.push({ ok: false, what: 'credentials', detail: (error as Error).message });
  }
  findings.push(
    program('open_jtalk', 'speaks Japanese'),
    path(settings.voice.dictionary, 'Open JTalk dictionary'),
    path(settings.voice.htsVoice, 'Japanese voice'),
    program('espeak-ng', 'speaks English'),
  );
  if (settings.audio.backend === 'aplay') findings.push(program('aplay', 'plays through ALSA'));
  if (settings.audio.backend === 'pulse')
    findings.push(program(settings.audio.player, 'plays through PipeWire/PulseAudio'));
  mkdirSync(settings.stateDir, { recursive: true });
  findings.push(path(settings.stateDir, 'state directory (kept answers)', constants.W_OK));
  for (const { device } of settings.buttons.input) findings.push(path(device, 'button keypad'));
  if (settings.buttons.gpio.length > 0) findings.push(program('gpiomon', 'reads GPIO buttons'));
  if (settings.buttons.input.length === 0 && settings.buttons.gpio.length === 0)
    findings.push({
      ok: false,
      what: 'buttons',
      detail: 'none configured: the resident cannot answer or call for help by button',
    });
  if (settings.recogniser) {
    findings.push(program('arecord', 'listens on the microphone'));
    try {
      loadSherpaDecoder(settings.recogniser.model, settings.recogniser.threads);
      findings.push({ ok: true, what: 'speech model', detail: `sherpa-onnx ${settings.recogniser.model.kind} loaded` });
    } catch (error) {
      findings.push({ ok: false, what: 'speech model', detail: (error as Error).message });
    }
  }
  for (const { ok, what, detail } of findings) print(`${ok ? 'ok     ' : 'PROBLEM'} ${what}: ${detail}`);
  return findings.every((f) => f.ok) ? 0 : 1;
}
