export { importHistory, type ImportReport } from './import-history.js';
export { runImportCommand } from './import-command.js';
