package io.eventplane.broker.topic.api;

import io.eventplane.broker.topic.domain.TopicErrors;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** NextToken of the SNS listings: the last ARN of the page, opaque to the caller. */
final class PageTokens {
  private PageTokens() {}

  static String encode(String lastArn) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(lastArn.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw TopicErrors.invalidParameter("NextToken");
    }
  }
}
