package io.eventplane.broker.queue.api;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The request-level rules every *Batch operation shares, and its per-entry result shape. */
final class BatchEntries {
  static final int MAX_ENTRIES = 10;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  private BatchEntries() {}

  static List<Inputs> validate(Inputs in, String entryName) {
    List<Inputs> entries = in.objectList("Entries");
    if (entries.isEmpty()) {
      throw new ServiceException("EmptyBatchRequest", "There should be at least one " + entryName + " in the request.");
    }
    if (entries.size() > MAX_ENTRIES) {
      throw new ServiceException("TooManyEntriesInBatchRequest",
          "Maximum number of entries per request are " + MAX_ENTRIES + ". You have sent " + entries.size() + ".");
    }
    Set<String> ids = new HashSet<>();
    for (Inputs e : entries) {
      String id = e.string("Id");
      if (id == null || !ID.matcher(id).matches()) {
        throw new ServiceException("InvalidBatchEntryId",
            "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");
      }
      if (!ids.add(id)) throw new ServiceException("BatchEntryIdsNotDistinct", "Id " + id + " repeated.");
    }
    return entries;
  }

  static JsonObject failure(String id, ServiceException e) {
    return new JsonObject().put("Id", id).put("SenderFault", true).put("Code", e.error().code()).put("Message", e.error().message());
  }

  /**
   * A SendMessageBatch entry that failed its own checks. An entry without a body is reported
   * with the code EmptyValue (an SQS recording), where a lone SendMessage says MissingParameter.
   */
  static JsonObject entryFailure(String id, ServiceException e) {
    if (e.error().code().equals("MissingParameter") && e.error().message().endsWith(" MessageBody.")) {
      return new JsonObject().put("Id", id).put("SenderFault", true).put("Code", "EmptyValue").put("Message", e.error().message());
    }
    return failure(id, e);
  }

  static JsonObject result(JsonArray successful, JsonArray failed) {
    return new JsonObject().put("Successful", successful).put("Failed", failed);
  }
}
