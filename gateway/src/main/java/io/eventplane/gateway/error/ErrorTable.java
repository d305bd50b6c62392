package io.eventplane.gateway.error;

import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One service's error codes as they go on the wire: HTTP status, Query {@code <Code>} and JSON
 * {@code __type}. The domain reports codes of the API reference ({@code QueueDoesNotExist}) and the
 * gateway and cluster raise a few common ones ({@code InternalFailure}, {@code ServiceUnavailable},
 * {@code RequestEntityTooLarge}); each service's table renames those into its own vocabulary.
 * A code outside the table passes through unchanged with 400 for the sender's fault and 500 for
 * ours (503 for ServiceUnavailable), so a new domain error is never lost, only possibly
 * mis-statused. The tables are data; each wire protocol renders them in one mapper.
 */
public final class ErrorTable {
  private final String jsonNamespace;
  private final Map<String, WireError> codes;
  private final Map<String, String> queryMessages;
  private final Set<String> capitalMessages;

  private ErrorTable(String jsonNamespace, Map<String, WireError> codes, Map<String, String> queryMessages,
      Set<String> capitalMessages) {
    this.jsonNamespace = jsonNamespace;
    this.codes = Map.copyOf(codes);
    this.queryMessages = Map.copyOf(queryMessages);
    this.capitalMessages = Set.copyOf(capitalMessages);
  }

  /**
   * The body member that carries the message of a REST-JSON error: each error shape of the model
   * names it, {@code message} for most and {@code Message} for some (Lambda's
   * ResourceNotFoundException and ServiceException), and the service answers with that spelling.
   */
  public String messageMember(WireError wire) {
    return capitalMessages.contains(wire.jsonType()) ? "Message" : "message";
  }

  /** @param jsonNamespace the prefix of JSON {@code __type}s ({@code com.amazonaws.sqs#}), "" for none */
  public static Builder builder(String jsonNamespace) {
    return new Builder(jsonNamespace);
  }

  public WireError of(ServiceError error) {
    WireError known = codes.get(error.code());
    if (known != null) return known;
    int status = "ServiceUnavailable".equals(error.code()) ? 503 : error.fault() == Fault.RECEIVER ? 500 : 400;
    return new WireError(error.code(), status, error.code(), jsonNamespace + error.code());
  }

  /** The message an error carries in the Query protocol: the service's, unless the table words it otherwise. */
  public String queryMessage(ServiceError error) {
    return queryMessages.getOrDefault(error.code(), error.message());
  }

  public static final class Builder {
    private final String jsonNamespace;
    private final Map<String, WireError> codes = new HashMap<>();
    private final Map<String, String> queryMessages = new HashMap<>();
    private final Set<String> capitalMessages = new HashSet<>();

    private Builder(String jsonNamespace) {
      this.jsonNamespace = jsonNamespace;
    }

    /** A code that keeps its name on the wire. */
    public Builder code(String code, int status) {
      return wire(new WireError(code, status, code, jsonNamespace + code));
    }

    /** A code with a Query name of its own (SQS's {@code AWS.SimpleQueueService.*}). */
    public Builder queryCode(String code, int status, String queryCode) {
      return wire(new WireError(code, status, queryCode, jsonNamespace + code));
    }

    /** A common code the service calls otherwise ({@code InternalFailure} -> {@code InternalError}). */
    public Builder renamed(String code, int status, String wireCode) {
      return wire(new WireError(code, status, wireCode, jsonNamespace.isEmpty() ? wireCode : jsonNamespace + wireCode));
    }

    public Builder wire(WireError error) {
      codes.put(error.code(), error);
      return this;
    }

    /**
     * A code the Query protocol words its own way (SQS's NonExistentQueue says "... for this wsdl
     * version." in XML, and not in JSON).
     */
    public Builder queryMessage(String code, String message) {
      queryMessages.put(code, message);
      return this;
    }

    /** Errors (by wire code) whose model spells the message member {@code Message}. */
    public Builder capitalMessage(String... wireCodes) {
      for (String code : wireCodes) capitalMessages.add(jsonNamespace + code);
      return this;
    }

    public ErrorTable build() {
      return new ErrorTable(jsonNamespace, codes, queryMessages, capitalMessages);
    }
  }
}
