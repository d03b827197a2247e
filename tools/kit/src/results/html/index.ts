/** HTML pages: a run's report (with an optional baseline) and a suite's trend across saved runs. */
import type { Comparison } from '../compare.js';
import type { Result } from '../types.js';
import { historyView, type HistoryPoint } from './history-data.js';
import { renderPage } from './page.js';
import { reportView } from './report-data.js';

export { readHistory, DEFAULT_TREND_METRICS, type HistoryPoint } from './history-data.js';
export { reportView } from './report-data.js';
export { historyView } from './history-data.js';
export { renderPage } from './page.js';

export function htmlReport(results: Result[], opts: { baseline?: Result[]; comparison?: Comparison; generatedAt?: Date } = {}): string {
  return renderPage(reportView({ results, ...opts }));
}

export function htmlHistory(suite: string, dir: string, points: HistoryPoint[], metrics: string[], generatedAt?: Date): string {
  return renderPage(historyView(suite, dir, points, metrics, generatedAt));
}
