export type { AlertPort, ClearAlert, IncidentRole, RaiseAlert } from './alerting.js';
export type { Prompt, Question, SpeakerOutlet } from './speaking.js';
