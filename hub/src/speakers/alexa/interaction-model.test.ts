import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PHRASES } from './phrases.js';
import { REMINDERS_SCOPE } from './reminders.js';
import { ANSWER_IDS, INTENTS } from './understanding.js';

/**
 * The skill package an operator uploads (alexa/skill-package, docs/speakers.md, Alexa) and the skill's code
 * must agree: the intents and answer values the code reads are the ones the models define, and
 * every word the skill tells the resident to say is one the models know.
 */
const PACKAGE = fileURLToPath(new URL('../../../../alexa/skill-package/', import.meta.url));

interface Model {
  interactionModel: {
    languageModel: {
      invocationName: string;
      intents: { name: string; samples: string[]; slots?: { name: string; type: string }[] }[];
      types: { name: string; values: { id: string; name: { value: string; synonyms: string[] } }[] }[];
    };
  };
}
const model = (locale: string) =>
  (JSON.parse(readFileSync(`${PACKAGE}interactionModels/custom/${locale}.json`, 'utf8')) as Model).interactionModel
    .languageModel;
const LOCALES = { 'ja-JP': PHRASES.ja, 'en-US': PHRASES.en };

/** Whether `said` is something the model turns into an answer: a value or synonym, alone or in a sample. */
function understood(m: ReturnType<typeof model>, said: string): boolean {
  const answers =
    m.types.find((t) => t.name === 'ANSWER')?.values.flatMap((v) => [v.name.value, ...v.name.synonyms]) ?? [];
  const answerIntent = m.intents.find((i) => i.name === 'AnswerIntent');
  const phrases = (answerIntent?.samples ?? []).flatMap((sample) => answers.map((a) => sample.replace('{answer}', a)));
  const builtIn = m.intents.filter((i) => i.name.startsWith('AMAZON.')).flatMap((i) => i.samples);
  return [...phrases, ...builtIn].some((p) => p.toLowerCase() === said.toLowerCase());
}

describe.each(Object.entries(LOCALES))('the %s interaction model', (locale, phrases) => {
  const m = model(locale);

  it('defines exactly the intents the skill understands', () => {
    expect(m.intents.map((i) => i.name).sort()).toEqual(Object.keys(INTENTS).sort());
  });

  it('resolves answers to exactly the values the skill takes (fine, unwell, help)', () => {
    const answer = m.types.find((t) => t.name === 'ANSWER');
    expect(answer?.values.map((v) => v.id).sort()).toEqual([...ANSWER_IDS].sort());
    expect(m.intents.find((i) => i.name === 'AnswerIntent')?.slots).toEqual([{ name: 'answer', type: 'ANSWER' }]);
  });

  it('knows every answer the skill tells the resident to say', () => {
    const quoted = [...`${phrases.answerHint}${phrases.usage}`.matchAll(/[「"]([^」"]+)[」"]/g)].map((q) => q[1] ?? '');
    const answers = quoted.filter((q) => !/アレクサ|Alexa/.test(q));
    expect(answers.length).toBeGreaterThanOrEqual(3);
    expect(answers.filter((said) => !understood(m, said))).toEqual([]);
  });

  it('takes the one-shot 「元気と伝えて」 and a bare pairing number', () => {
    const samples = m.intents.find((i) => i.name === 'AnswerIntent')?.samples ?? [];
    expect(samples.some((s) => /\{answer\}(と伝えて|$)/.test(s) && s !== '{answer}')).toBe(true);
    expect(m.intents.find((i) => i.name === 'PairIntent')?.samples).toContain('{code}');
  });
});

describe('the skill manifest', () => {
  const manifest = (
    JSON.parse(readFileSync(`${PACKAGE}skill.json`, 'utf8')) as {
      manifest: {
        permissions: { name: string }[];
        events: { subscriptions: { eventName: string }[] };
        publishingInformation: { locales: Record<string, unknown> };
      };
    }
  ).manifest;

  it('asks for the reminders permission and subscribes to the events the skill handles', () => {
    expect(manifest.permissions).toEqual([{ name: REMINDERS_SCOPE }]);
    expect(manifest.events.subscriptions.map((s) => s.eventName).sort()).toEqual([
      'SKILL_DISABLED',
      'SKILL_PERMISSION_ACCEPTED',
      'SKILL_PERMISSION_CHANGED',
    ]);
    expect(Object.keys(manifest.publishingInformation.locales).sort()).toEqual(Object.keys(LOCALES).sort());
  });

  it('is invoked as みまもり in Japanese', () => {
    expect(model('ja-JP').invocationName).toBe('みまもり');
  });
});
