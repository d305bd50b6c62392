package io.eventplane.server.sqs;

import io.eventplane.server.EmbeddedServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link QueueUrlAnswers} on a server with the default {@code --queue-url-style path}. */
class PathQueueUrlAnswersTest extends QueueUrlAnswers {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  @Override
  EmbeddedServer server() {
    return server;
  }

  @Override
  boolean regionStyle() {
    return false;
  }
}
