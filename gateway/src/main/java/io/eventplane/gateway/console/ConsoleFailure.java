package io.eventplane.gateway.console;

import io.eventplane.common.error.ServiceError;

/** A service's error answer to one of the console's calls, carried to the page that shows it. */
final class ConsoleFailure extends RuntimeException {
  final ServiceError error;

  ConsoleFailure(ServiceError error) {
    super(error.code() + ": " + error.message(), null, false, false);
    this.error = error;
  }

  /** The HTTP status of a page that failed with this error: 404 for a resource that is not there, 403 for a denial. */
  int status() {
    String code = error.code();
    if (code.contains("NonExistent") || code.contains("DoesNotExist") || code.contains("NotFound")) return 404;
    if (code.equals("AccessDenied") || code.equals("AccessDeniedException")) return 403;
    // S3's: NoSuchBucket, NoSuchKey, NoSuchVersion.
    if (code.startsWith("NoSuch")) return 404;
    return error.fault() == io.eventplane.common.error.Fault.SENDER ? 400 : 502;
  }
}
