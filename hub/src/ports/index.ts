export type { AlertPort, ClearAlert, RaiseAlert } from './alerting.js';
export type { Prompt, Question, SpeakerOutlet } from './speaking.js';
