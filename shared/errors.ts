/** Base of the errors Embargo raises on purpose; `action` says what a person can do about it. */
export class EmbargoError extends Error {
  constructor(
    message: string,
    readonly action: string,
    options?: ErrorOptions,
  ) {
    super(`${message} ${action}`.trim(), options);
    this.name = new.target.name;
  }
}

export class RawMailMissingError extends EmbargoError {
  constructor(readonly messageId: string) {
    super(
      `No raw message is stored under id ${messageId}.`,
      'Check that the receipt rule stores mail (S3 action) before it invokes intake; the delivery will be retried.',
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
      `DynamoDB refused ${request}: ${detail}.`,
      'A retry cannot fix this: the message is kept aside (quarantined) with this reason; report it as an Embargo bug if it came from ordinary mail.',
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
      `A mail to ${recipient} would be ${bytes} bytes, over SES's limit of ${limit}.`,
      'Report this as an Embargo bug: attachments over the mail budget should have been left out and named in the mail.',
    );
  }
}

export class InvalidEventError extends EmbargoError {
  /** `invoker` names what should invoke the function, e.g. "the SES receipt rule". */
  constructor(source: string, problems: string[], invoker: string) {
    super(
      `The ${source} event is not in the expected shape: ${problems.join('; ')}.`,
      `Only ${invoker} should invoke this function.`,
    );
  }
}

export class CaseNotFoundError extends EmbargoError {
  constructor(readonly caseId: string) {
    super(`There is no case ${caseId}.`, 'Run `npx embargo cases` to list the case ids.');
  }
}
