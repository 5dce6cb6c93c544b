import { execFileSync } from 'node:child_process';

/** A Prometheus text exposition as series → value (`name{a="1",b="2"}` as the server printed it). */
export function parseMetrics(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

/** The value of one series, 0 when it is absent; labels in the order the metric declares them. */
export function metricValue(metrics: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  const printed = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  return metrics.get(printed ? `${name}{${printed}}` : name) ?? 0;
}

/** Whether Prometheus's own linter is here (Debian's `prometheus` package; .ci/run installs it). */
export function hasPromtool(): boolean {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
