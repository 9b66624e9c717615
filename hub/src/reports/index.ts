export { monthlyReport, monthlyReportCsv, monthBounds, spread } from './monthly.js';
