import { FakeAmazon, type PostToSkill } from './fake-amazon.js';
import { FakeEcho, type EchoOptions } from './fake-echo.js';
import { startTestCore, type TestCore } from './test-core.js';

/**
 * The hub's core and API in this process (startTestCore) with its Alexa skill answering for
 * TEST_SKILL_ID, and a stand-in Amazon on 127.0.0.1 that signs Echos' requests, serves the
 * certificates and plays the Skill Messaging and Reminders APIs. `credentials`: the skill's
 * client credentials are configured, so prompts ring as reminders where allowed.
 */
export async function startAlexaCore(options: { now?: number; credentials?: boolean } = {}) {
  // Amazon stamps its requests with the core's clock, which exists once the core has started.
  let now = () => options.now ?? Date.now();
  const amazon = await FakeAmazon.start({ now: () => now() });
  const core: TestCore = await startTestCore({
    ...(options.now !== undefined && { now: options.now }),
    alexa: {
      amazon: amazon.side,
      ...(options.credentials && { credentials: { clientId: 'test-client', clientSecret: 'test-secret' } }),
    },
  });
  now = () => core.clock.now();
  const post: PostToSkill = async (headers, body) => {
    const response = await core.api.inject({ method: 'POST', url: '/alexa', headers, payload: body });
    return { status: response.statusCode, body: response.json() as unknown };
  };
  amazon.skill = post;
  return {
    core,
    amazon,
    post,
    echo: (echoOptions?: EchoOptions) => new FakeEcho(amazon, post, core.clock, echoOptions),
    /** The count of a metric line in /metrics (0 when absent). */
    metric: async (line: string) => {
      const text = await core.metrics.registry.metrics();
      const found = text.split('\n').find((l) => l.startsWith(`${line} `));
      return found ? Number(found.split(' ')[1]) : 0;
    },
    async stop() {
      await amazon.stop();
      await core.stop();
    },
  };
}

export type AlexaCore = Awaited<ReturnType<typeof startAlexaCore>>;
