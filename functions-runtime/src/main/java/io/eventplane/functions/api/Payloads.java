package io.eventplane.functions.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.eventplane.functions.domain.FunctionErrors;
import java.io.IOException;

/** Invoke's payload rules: JSON, at most 6 MB synchronous and 1 MB asynchronous. */
final class Payloads {
  static final int MAX_SYNC = 6_291_456;
  static final int MAX_ASYNC = 1_048_576;
  private static final JsonFactory JSON = new JsonFactory();

  private Payloads() {}

  static void checkSize(byte[] payload, int limit) {
    if (payload.length > limit) throw FunctionErrors.payloadTooLarge(limit);
  }

  /** An empty payload is allowed (the handler gets null); anything else must be one JSON value. */
  static void checkJson(byte[] payload) {
    if (payload.length == 0) return;
    try (JsonParser p = JSON.createParser(payload)) {
      if (p.nextToken() == null) return;
      p.skipChildren();
      if (p.nextToken() != null) throw FunctionErrors.badPayload("Could not parse payload into json: trailing content");
    } catch (IOException e) {
      String message = e.getMessage() == null ? "invalid JSON" : e.getMessage().split("\n")[0];
      throw FunctionErrors.badPayload("Could not parse payload into json: " + message);
    }
  }
}
