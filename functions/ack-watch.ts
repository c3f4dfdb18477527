import type { EmbargoServices } from '../shared/wiring/embargo-services';
import { awsWatchServices } from './aws-runtime';

/**
 * The recurring 48-hour watch: retry missing acknowledgments, warn maintainers in time; and,
 * on the same schedule, the hourly digest of mail collected as flood.
 */
export function ackWatchHandler(services: () => Pick<EmbargoServices, 'watch' | 'floodDigest'>) {
  return async (): Promise<{
    checked: number;
    acknowledged: number;
    escalated: number;
    digests: number;
  }> => {
    const { watch, floodDigest } = services();
    // The watch first: the promise to reporters matters more than the digest.
    const watched = await watch.run();
    return { ...watched, ...(await floodDigest.run()) };
  };
}

export const handler = ackWatchHandler(awsWatchServices);
