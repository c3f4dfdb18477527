import type { EmbargoServices } from '../shared/services/embargo-services';
import { awsWatchServices } from './aws-runtime';

/** The recurring 48-hour watch: retry missing acknowledgments, warn maintainers in time. */
export function ackWatchHandler(services: () => Pick<EmbargoServices, 'watch'>) {
  return async (): Promise<{ checked: number; acknowledged: number; escalated: number }> =>
    services().watch.run();
}

export const handler = ackWatchHandler(awsWatchServices);
