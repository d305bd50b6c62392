package io.eventplane.broker.topic.api;

import io.eventplane.broker.topic.domain.TopicErrors;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import java.util.Map;

/** SNS's tag rules: at most 50 per topic, keys 1-128 and values 0-256 characters. */
final class Tags {
  static final int MAX = 50;

  private Tags() {}

  static void validate(Map<String, String> tags) {
    for (Map.Entry<String, String> e : tags.entrySet()) {
      if (e.getKey().isEmpty() || e.getKey().length() > 128) throw TopicErrors.invalidParameter("Tags.Key");
      if (e.getValue().length() > 256) throw TopicErrors.invalidParameter("Tags.Value");
      if (e.getKey().startsWith("aws:")) throw TopicErrors.invalidParameter("Tags.Key: aws: is a reserved prefix");
    }
  }

  static void checkLimit(int count) {
    if (count > MAX) {
      throw new ServiceException(ServiceError.sender("TagLimitExceeded",
          "Could not complete request: tag quota of per resource exceeded"));
    }
  }
}
