import { fileURLToPath } from 'node:url';
import { buildDashboards } from '../server/dashboards-build.ts';

/**
 * Once, before any suite: the dashboards the browser tests click are built (as `npm start` does),
 * so that no suite finds them missing or half-written by another.
 */
export default function setup() {
  if (!buildDashboards(fileURLToPath(new URL('..', import.meta.url)))) throw new Error('the dashboards did not build: run `npm run build` to see why');
}
