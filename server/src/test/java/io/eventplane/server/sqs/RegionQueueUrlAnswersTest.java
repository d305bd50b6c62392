package io.eventplane.server.sqs;

import io.eventplane.common.config.QueueUrlStyle;
import io.eventplane.server.EmbeddedServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link QueueUrlAnswers} on a server started with {@code --queue-url-style region}. */
class RegionQueueUrlAnswersTest extends QueueUrlAnswers {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withQueueUrlStyle(QueueUrlStyle.REGION));

  @Override
  EmbeddedServer server() {
    return server;
  }

  @Override
  boolean regionStyle() {
    return true;
  }
}
