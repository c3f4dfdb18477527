import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseFiles } from '../cases/case-files';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import type { InboundLedger } from './inbound-ledger';
import type { Logger } from '../logging/logger';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { RawMailStore } from './raw-mail-store';
import type { ReplayGuard } from '../commands/replay-guard';
import type { ReportReader } from '../reports/report-reader';
import type { Acknowledger } from '../acknowledgment/acknowledger';
import type { CaseMailer } from '../outbound/case-mailer';
import type { InboundMail } from '../mail/inbound-mail';
import type { MaintainerReplyService } from '../threads/maintainer-reply';
import type { ThreadRouter } from '../threads/thread-router';
import type { DistributorMailService } from '../threads/distributor-mail';
import type { DistributorDirectory } from '../notices/distributor-directory';
import type { FloodDependencies } from './admission/flood-intake';
import type { CiphertextFingerprinter, CiphertextLedger } from './ciphertext-ledger';
import type { DeliveryProblemService } from '../outbound/delivery-problems';

/** What intake works with: the ports, the services it hands mail to, and the configuration. */
export interface IntakeDependencies {
  config: EmbargoConfig;
  rawMail: RawMailStore;
  files: CaseFiles;
  ledger: InboundLedger;
  cases: CaseRepository;
  mailer: CaseMailer;
  router: ThreadRouter;
  maintainerReplies: MaintainerReplyService;
  /** A distributor's answers on a case it was told of. */
  distributorMail: DistributorMailService;
  acknowledger: Acknowledger;
  replays: ReplayGuard;
  parse: (raw: Buffer) => Promise<InboundMail>;
  reader: ReportReader;
  crypto: MailCrypto;
  /** Read to refuse keys offered for a distributor's address. */
  distributors: Pick<DistributorDirectory, 'list'>;
  clock: Clock;
  log: Logger;
  /** The admission check and what it does with mail over the limit. */
  flood: FloodDependencies;
  /** Recognise ciphertext received before (a replayed report); absent, nothing is checked. */
  replayedCiphertext?: { fingerprints: CiphertextFingerprinter; ciphertexts: CiphertextLedger };
  /** Where a complaint SES forwards by mail is recorded, as those it publishes are. */
  deliveryProblems: Pick<DeliveryProblemService, 'record'>;
}
