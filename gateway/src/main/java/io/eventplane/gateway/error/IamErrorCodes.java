package io.eventplane.gateway.error;

import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import java.util.Map;

/** IAM error codes and their HTTP status, from the {@code error} traits of botocore's IAM model (2010-05-08). */
public final class IamErrorCodes {
  /** @param code the {@code <Code>} of the XML error */
  public record Wire(String code, int status, boolean senderFault) {}

  private static final Map<String, Integer> STATUS = Map.ofEntries(
      Map.entry("NoSuchEntity", 404),
      Map.entry("EntityAlreadyExists", 409),
      Map.entry("DeleteConflict", 409),
      Map.entry("LimitExceeded", 409),
      Map.entry("MalformedPolicyDocument", 400),
      Map.entry("InvalidInput", 400),
      Map.entry("ValidationError", 400),
      Map.entry("ConcurrentModification", 409),
      Map.entry("UnmodifiableEntity", 400),
      Map.entry("ServiceFailure", 500),
      Map.entry("InvalidAction", 400),
      Map.entry("MissingParameter", 400),
      Map.entry("MalformedQueryString", 400),
      Map.entry("RequestEntityTooLarge", 413),
      Map.entry("ServiceUnavailable", 503));

  private IamErrorCodes() {}

  public static Wire of(ServiceError error) {
    if ("InternalFailure".equals(error.code())) return new Wire("ServiceFailure", 500, false);
    Integer status = STATUS.get(error.code());
    if (status == null) status = error.fault() == Fault.RECEIVER ? 500 : 400;
    return new Wire(error.code(), status, error.fault() == Fault.SENDER);
  }
}
