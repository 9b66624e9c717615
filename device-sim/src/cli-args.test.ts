import { describe, expect, it } from 'vitest';
import { UsageError, parseCliArgs } from './cli-args.js';

const HUB = ['--hub', 'http://127.0.0.1:8080'];

describe('command-line flags', () => {
  it('fills in the defaults', () => {
    expect(parseCliArgs(HUB)).toEqual({
      help: false,
      durationS: undefined,
      quiet: false,
      settings: {
        hub: 'http://127.0.0.1:8080',
        homes: 20,
        seed: 1,
        scenario: 'normal',
        speed: 1,
        user: 'staff',
        password: 'mimamori-demo-staff',
        speakers: {},
      },
    });
  });

  it('reads every flag', () => {
    const args = parseCliArgs([
      ...HUB,
      '--mqtt',
      'mqtt://10.0.0.2:1883',
      '--homes',
      '3',
      '--seed',
      '9',
      '--scenario',
      'sos',
      '--speed',
      '60',
      '--user',
      'demo-staff',
      '--password',
      'pw',
      '--answer-probability',
      '0.5',
      '--duration-s',
      '30',
      '--quiet',
      '--speaker',
      '1=silent',
      '--speaker',
      '2=help',
      '--checkin-cron',
      '*/5 * * * *',
      '--checkin-window',
      '4',
      '--checkin-reprompts',
      '2',
      '--checkin-reprompt-every',
      '1',
    ]);
    expect(args).toEqual({
      help: false,
      durationS: 30,
      quiet: true,
      settings: {
        hub: 'http://127.0.0.1:8080',
        mqtt: 'mqtt://10.0.0.2:1883',
        homes: 3,
        seed: 9,
        scenario: 'sos',
        speed: 60,
        user: 'demo-staff',
        password: 'pw',
        answerProbability: 0.5,
        speakers: { '1': 'silent', '2': 'help' },
        checkin: {
          cron: '*/5 * * * *',
          windowMinutes: 4,
          reprompts: 2,
          repromptEveryMinutes: 1,
          timezone: 'Asia/Tokyo',
          items: [],
          voluntaryLeadMinutes: 120,
          satisfiedBy: 'answer',
          activityFrom: '04:00',
          pausedUntil: null,
        },
      },
    });
  });

  it.each([
    { argv: [], message: /--hub: is required/ },
    { argv: ['--hub', 'localhost:8080'], message: /--hub: must be a URL such as http:/ },
    { argv: [...HUB, '--mqtt', 'http://x'], message: /--mqtt: must be a URL such as mqtt:/ },
    { argv: [...HUB, '--homes', 'many'], message: /--homes: must be a number/ },
    { argv: [...HUB, '--homes', '0'], message: /--homes: .*>=1/ },
    { argv: [...HUB, '--homes', '2.5'], message: /--homes: .*int/ },
    { argv: [...HUB, '--scenario', 'fire'], message: /--scenario: .*"normal"\|"sos"/ },
    { argv: [...HUB, '--speed', '0'], message: /--speed: / },
    { argv: [...HUB, '--duration-s=-1'], message: /--duration-s: .*>0/ },
    { argv: [...HUB, '--duration-s', 'soon'], message: /--duration-s: must be a number/ },
    { argv: [...HUB, '--answer-probability', '2'], message: /--answer-probability: / },
    { argv: [...HUB, '--colour'], message: /Unknown option '--colour'/ },
    { argv: [...HUB, 'extra'], message: /positional argument/ },
    { argv: [...HUB, '--speaker', '1=shy'], message: /--speaker: .*"prompt"/ },
    { argv: [...HUB, '--speaker', 'first=silent'], message: /--speaker: must be a home number from 1/ },
    { argv: [...HUB, '--checkin-window', '4'], message: /--checkin-cron: / },
    {
      argv: [...HUB, '--checkin-cron', '0 9 * * *', '--checkin-window', '30'],
      message: /--checkin-window: .*must be longer than reprompts/,
    },
  ])('refuses $argv with a message naming the flag', ({ argv, message }) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('asks for help with --help or -h', () => {
    expect(parseCliArgs(['--help'])).toEqual({ help: true });
    expect(parseCliArgs(['-h'])).toEqual({ help: true });
  });
});
