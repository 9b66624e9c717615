import { describe, expect, it } from 'vitest';
import { UsageError, parseCliArgs } from './cli-args.js';

const HUB = ['--hub', 'http://127.0.0.1:8080'];

describe('command-line flags', () => {
  it('fills in the defaults', () => {
    expect(parseCliArgs(HUB)).toEqual({
      help: false,
      durationS: undefined,
      quiet: false,
      settings: { hub: 'http://127.0.0.1:8080', homes: 20, seed: 1, scenario: 'normal', speed: 1, user: 'staff', password: 'mimamori-demo-staff' },
    });
  });

  it('reads every flag', () => {
    const args = parseCliArgs([
      ...HUB, '--mqtt', 'mqtt://10.0.0.2:1883', '--homes', '3', '--seed', '9', '--scenario', 'sos', '--speed', '60',
      '--user', 'demo-staff', '--password', 'pw', '--answer-probability', '0.5', '--duration-s', '30', '--quiet',
    ]);
    expect(args).toEqual({
      help: false,
      durationS: 30,
      quiet: true,
      settings: {
        hub: 'http://127.0.0.1:8080', mqtt: 'mqtt://10.0.0.2:1883', homes: 3, seed: 9, scenario: 'sos', speed: 60,
        user: 'demo-staff', password: 'pw', answerProbability: 0.5,
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
  ])('refuses $argv with a message naming the flag', ({ argv, message }) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('asks for help with --help or -h', () => {
    expect(parseCliArgs(['--help'])).toEqual({ help: true });
    expect(parseCliArgs(['-h'])).toEqual({ help: true });
  });
});
