// Human-readable lines for the demo's terminal, from the hub's pino JSON lines (issue 20: fifty
// raw-JSON warnings in forty minutes). A few lines of our own rather than pino-pretty: the demo
// already reads the hub's output line by line, and pino-pretty would add a dozen packages to every
// install and a transport thread to the hub for the demo's sake. Production keeps JSON.

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** pino's own fields, and the ones every line has; the rest is the line's detail. */
const OWN = new Set(['level', 'time', 'pid', 'hostname', 'name', 'module', 'msg', 'v']);

/** One output line of the hub as a person reads it: pino's JSON formatted, anything else as it is. */
export function formatLogLine(line) {
  if (!line.startsWith('{"level":')) return line;
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  const time = new Date(entry.time).toTimeString().slice(0, 8);
  const level = (LEVELS[entry.level] ?? String(entry.level)).padEnd(5);
  const where = entry.module ? `${entry.module}: ` : '';
  const detail = Object.entries(entry)
    .filter(([key]) => !OWN.has(key))
    .map(([key, value]) => `${key}=${describe(value)}`)
    .join(', ');
  return `${time} ${level} ${where}${entry.msg ?? ''}${detail ? `  (${detail})` : ''}`;
}

function describe(value) {
  if (value && typeof value === 'object' && typeof value.message === 'string') return value.message; // a serialised error
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** Calls `onLine` with each whole line of a stream, as it arrives. */
export function eachLine(stream, onLine) {
  let pending = '';
  stream.on('data', (chunk) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => pending && onLine(pending));
}
