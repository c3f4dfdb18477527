/** A member of the private advance-notification list. Never in config, logs or shared headers. */
export interface Distributor {
  email: string;
  name: string;
  publicKeyArmored: string;
  fingerprint: string;
  addedAt: string;
  /** IANA time zone name (`--time-zone`): notices give every date in it too, beside UTC. */
  timeZone?: string;
  /** Overrides the project's `distributorConsent` for this distributor. */
  consent?: 'with-notice' | 'before-details';
  /**
   * `--name-in-public-records`: the distributor agreed to be named, with its signed `/status`,
   * in the public CSAF after D. Absent: never named in a public record (being on the list, and
   * on a case, is private).
   */
  nameInPublicRecords?: boolean;
}

/** The private distributor list (DynamoDB in AWS). */
export interface DistributorDirectory {
  /** Adds or replaces the distributor with this address. */
  put(distributor: Distributor): Promise<void>;
  list(): Promise<Distributor[]>;
  /** True when there was such a distributor. */
  remove(email: string): Promise<boolean>;
}
