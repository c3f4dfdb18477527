import { AckWatch } from '../acknowledgment/ack-watch';
import { Acknowledger } from '../acknowledgment/acknowledger';
import type { CaseMailServices } from './case-mail-services';

/** Acknowledgments (intake sends them, the watch retries them). */
export function acknowledgmentServices(core: CaseMailServices) {
  const { config, cases, mailer, crypto, clock } = core;
  return { acknowledger: new Acknowledger({ config, cases, mailer, crypto, clock }) };
}

/** The 48-hour watch: retries acknowledgments, warns the maintainers before the deadline. */
export function watchServices(
  core: CaseMailServices,
  acknowledger = acknowledgmentServices(core).acknowledger,
) {
  const { config, cases, mailer, clock, log } = core;
  const github = core.github ? { github: core.github } : {};
  return { watch: new AckWatch({ config, cases, mailer, acknowledger, clock, log, ...github }) };
}
