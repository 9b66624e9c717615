import type { Log } from '@mimamori/device-link';

/**
 * One line per message on standard output (info) or standard error (errors). Under systemd
 * (`JOURNAL_STREAM` set) each line starts with its syslog priority (`<6>`, `<3>`), which
 * journald reads as the level, so `journalctl -u mimamori-speaker -p err` shows only errors;
 * elsewhere lines carry the time.
 */
export function journalLog(underSystemd: boolean, quiet = false): Log {
  const line = (priority: number, label: string, text: string) =>
    underSystemd ? `<${priority}>${text}\n` : `${new Date().toISOString()} ${label} ${text}\n`;
  return {
    info: (text) => {
      if (!quiet) process.stdout.write(line(6, 'info', text));
    },
    error: (text) => process.stderr.write(line(3, 'error', text)),
  };
}
