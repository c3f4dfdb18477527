import { DeliveryProblemService } from '../outbound/delivery-problems';
import type { CaseMailServices } from './case-mail-services';

/** SES bounces, complaints, rejections and delays: recorded on the case, told to maintainers. */
export function deliveryProblemServices(core: CaseMailServices) {
  const { config, cases, threads, mailer, clock, log } = core;
  return {
    deliveryProblems: new DeliveryProblemService({ config, cases, threads, mailer, clock, log }),
  };
}
