/**
 * Every code an Embargo error carries, with what it means. Codes are stable: logs, alarms and
 * scripts may match on them, so a code is never reused for another meaning. docs/errors.md
 * lists the same codes (test/errors.test.ts keeps the two equal).
 */
export const errorCodes = {
  // Configuration and deployment
  CONFIG_INVALID:
    'The configuration (embargo.config.json or what a deployment passes) cannot be used.',
  DEPLOY_SETTING_INVALID: 'A deploy setting (a `-c` context value, cdk.json) is not valid.',
  REGION_WITHOUT_RECEIVING: 'SES does not receive email in the region the stack is deployed to.',
  CONFIG_TOO_LARGE: 'The configuration is too large to bundle into the functions.',
  // What reaches a function
  EVENT_INVALID: 'A function was invoked with an event that is not in the expected shape.',
  RAW_MAIL_MISSING: 'No raw message is stored under the id an event names.',
  RAW_MAIL_INCOMPLETE: 'The raw message store sent fewer or more bytes than it announced.',
  OBJECT_READ_DENIED: 'S3 refused to read an object: a permission is missing.',
  DELIVERY_IN_PROGRESS: 'Another invocation is handling the same delivery.',
  NOTICE_IN_PROGRESS: 'Another invocation is sending the same scheduled notice.',
  // Stored cases and counters
  CASE_NOT_FOUND: 'There is no case with that id.',
  CASE_FILE_MISSING: 'No case file is stored under the key given.',
  CASE_CONTENDED: 'A case kept changing under every attempt to update it.',
  COUNTER_CONTENDED: 'An admission counter kept changing under every attempt to count.',
  STORED_ITEM_INVALID: 'An item read from storage is not in the shape this version expects.',
  VALUE_UNSTORABLE: 'DynamoDB refused a value as too large for a key or an item; no retry helps.',
  DYNAMODB_THROTTLED: 'DynamoDB left part of a batch unprocessed after every retry.',
  // Keys
  PROJECT_KEY_MISSING: 'The project key is not where it should be.',
  PROJECT_KEY_UNUSABLE: 'The project key cannot be read or cannot both sign and decrypt.',
  PROJECT_KEY_LOCKED:
    'The project key needs a passphrase that was not given or does not unlock it.',
  PROJECT_KEY_WRONG_ADDRESS: 'The project key does not name the configured security address.',
  RECIPIENT_KEY_UNUSABLE: "A recipient's public key cannot be used for encryption.",
  KEY_FILE_UNREADABLE: 'A key file named on the command line cannot be read.',
  KEY_FILE_WRONG_KIND: 'A file named as a key is not an OpenPGP key of the expected kind.',
  DISTRIBUTOR_KEY_MISMATCH: "A distributor's key does not name the distributor's address.",
  // Sending
  RECIPIENT_UNSAFE: 'Mail was refused to an address that is not a single plain mailbox.',
  SENDING_BUDGET_SPENT: "The day's sending budget (maxMailsPerDay) is spent.",
  MAIL_TOO_LARGE: "A rendered mail is over SES's message size limit.",
  ADDRESS_INVALID: 'A value that must be an email address is not one.',
  // GitHub
  GITHUB_TOKEN_MISSING: 'There is no GitHub token to call GitHub with.',
  GITHUB_REQUEST_FAILED: 'A call to GitHub failed.',
  GITHUB_NOT_CONFIGURED: 'A command asks for GitHub, and `github` is not configured.',
  CSAF_METADATA_INVALID:
    'The provider-metadata.json made from the configuration (`csaf`) is not valid CSAF provider metadata.',
  // The command line
  USAGE: 'A command-line argument or option is not valid.',
  NOT_FOUND: 'What a command names (a message, a file, a distributor) does not exist.',
  OUTPUT_EXISTS: 'The file a command would write exists already.',
  COMMANDS_REFUSED: 'Commands given to `npx embargo command` were refused; nothing changed.',
  WRONG_MODE: 'The command works in the other mode (local or deployed).',
  LOCAL_NOT_RUNNING: 'Local mode is not running, and the command needs it.',
  LOCAL_RUNNING: 'Local mode is running on the same data, and the command needs it stopped.',
  LOCAL_DATA_UNAVAILABLE: "Local mode's data folder cannot be opened.",
  LOCAL_DATA_MISSING: 'There is no Embargo data where the command looks (EMBARGO_DATA_DIR).',
  SMTP_LISTEN_FAILED: "Local mode's SMTP gateway cannot listen where it was asked to.",
  AWS_UNREACHABLE: 'A call to AWS that the command needs failed (credentials, region, names).',
  STACK_NOT_DEPLOYED: 'The stack is not deployed.',
  DOCTOR_CHECKS_FAILED: 'Checks of `npx embargo doctor` failed.',
  // Bugs
  INTERNAL: 'Embargo broke one of its own rules: a bug.',
} as const;

export type ErrorCode = keyof typeof errorCodes;

/**
 * The root of the errors Embargo raises on purpose: a stable `code`, the `reason` (what went
 * wrong) and the `action` (what a person can do about it), kept apart so that each place that
 * shows an error can lay them out. `message` holds both, for logs and runtimes that print only
 * an error's message.
 */
export class EmbargoError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
    readonly action: string,
    options?: ErrorOptions,
  ) {
    // A reason that is a list (one problem a line) gets the action on a line of its own.
    super(reason.includes('\n') ? `${reason}\n${action}` : `${reason} ${action}`, options);
    this.name = new.target.name;
  }
}

/** An impossible state: a bug in Embargo, not something a user can fix by changing input. */
export class InternalError extends EmbargoError {
  constructor(reason: string, options?: ErrorOptions) {
    super(
      'INTERNAL',
      reason,
      'This is a bug in Embargo: report it with the log line; the work is retried.',
      options,
    );
  }
}

/**
 * How an error reads to a person at a terminal: its code (listed in docs/errors.md), what went
 * wrong, and on a line of its own what to do.
 */
export function errorReport(err: EmbargoError): string {
  return `Error ${err.code}: ${err.reason}\nTo do: ${err.action}`;
}

/** The message of anything thrown (an Error's message, or the value as text). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The name of anything thrown, when it has one: how AWS SDK errors say what they are (for
 * `NoSuchKey` and `ResourceNotFoundException`, the SDK's error classes are not always the ones
 * a caller imported, so the name is compared too).
 */
export function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

export class RawMailMissingError extends EmbargoError {
  constructor(readonly messageId: string) {
    super(
      'RAW_MAIL_MISSING',
      `No raw message is stored under id ${messageId}.`,
      'Check that the receipt rule stores mail (S3 action) before it invokes intake, and that the raw mail was not deleted or expired (rawMailRetentionDays); intake records the delivery as quarantined (raw-mail-missing), a retry would find nothing either.',
    );
  }
}

/**
 * S3 answered 403 to a read. It does so for a missing permission (s3:GetObject, kms:Decrypt on
 * the bucket's key) and, when the caller lacks s3:ListBucket, for a key that does not exist
 * (GetObject, "Permissions"). Not taken as "missing": a permission fixed in time lets the retry
 * succeed, while a message wrongly recorded as missing would be lost.
 */
export class S3AccessDeniedError extends EmbargoError {
  constructor(
    readonly key: string,
    cause: unknown,
  ) {
    super(
      'OBJECT_READ_DENIED',
      `S3 refused to read ${key} (403 Access Denied).`,
      "Give the role s3:GetObject on the key, kms:Decrypt on the bucket's key, and s3:ListBucket on the bucket (without it S3 answers 403, not 404, for a key that does not exist); the event is retried, or redrive it from the dead-letter queue once fixed.",
      { cause },
    );
  }
}

/** Another invocation is handling the same delivery: Lambda ran the event twice at once. */
export class DeliveryInProgressError extends EmbargoError {
  constructor(
    readonly messageId: string,
    readonly until: string,
  ) {
    super(
      'DELIVERY_IN_PROGRESS',
      `Message ${messageId} is being handled by another invocation, which may take until ${until}.`,
      'Nothing to do: the delivery is retried, and the retry returns that outcome or takes over once that time has passed.',
    );
  }
}

/** Another invocation is sending the same scheduled notice: the scheduler ran it twice at once. */
export class NoticeInProgressError extends EmbargoError {
  constructor(
    readonly notice: string,
    readonly until: string,
  ) {
    super(
      'NOTICE_IN_PROGRESS',
      `The ${notice} notice is being sent by another invocation, which may take until ${until}.`,
      'Nothing to do: the scheduler retries it, and the retry sends only what is still unsent.',
    );
  }
}

/**
 * DynamoDB refused a request as invalid (a key or an item over its size limit): a retry cannot
 * help, so intake records the message as quarantined on this first attempt.
 */
export class UnstorableValueError extends EmbargoError {
  constructor(
    readonly request: string,
    readonly detail: string,
    cause: unknown,
  ) {
    super(
      'VALUE_UNSTORABLE',
      `DynamoDB refused ${request}: ${detail}.`,
      'A retry cannot fix this. Intake keeps the message aside (quarantined) with this reason, and the other functions log it as refused (function.input-refused); from the command line, give a shorter value. Report it as an Embargo bug if it came from ordinary mail.',
      { cause },
    );
  }
}

/** A rendered mail over SES's message size limit: SES would refuse it, so it is not sent. */
export class MailTooLargeError extends EmbargoError {
  constructor(
    readonly recipient: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      'MAIL_TOO_LARGE',
      `A mail to ${recipient} would be ${bytes} bytes, over SES's limit of ${limit}.`,
      'Report this as an Embargo bug: attachments over the mail budget should have been left out and named in the mail.',
    );
  }
}

export class InvalidEventError extends EmbargoError {
  /** `invoker` names what should invoke the function, e.g. "the SES receipt rule". */
  constructor(source: string, problems: string[], invoker: string) {
    super(
      'EVENT_INVALID',
      `The ${source} event is not in the expected shape: ${problems.join('; ')}.`,
      `Only ${invoker} should invoke this function.`,
    );
  }
}

export class CaseNotFoundError extends EmbargoError {
  constructor(readonly caseId: string) {
    super(
      'CASE_NOT_FOUND',
      `There is no case ${caseId}.`,
      'Run `npx embargo cases` to list the case ids.',
    );
  }
}

/**
 * A stored item that is not what this version reads (written by an older version, or damaged):
 * names the item's key and what is wrong, instead of failing later on a missing field.
 */
export class StoredItemInvalidError extends EmbargoError {
  constructor(
    readonly key: string,
    readonly problems: string[],
  ) {
    super(
      'STORED_ITEM_INVALID',
      `The stored item ${key} is not in the shape this version reads: ${problems.join('; ')}.`,
      'Nothing was changed. If an older version wrote it, upgrade through the versions in between; otherwise restore the item from a backup (point-in-time recovery).',
    );
  }
}
