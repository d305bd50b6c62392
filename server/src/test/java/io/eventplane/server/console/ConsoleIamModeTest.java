package io.eventplane.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.server.EmbeddedServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code --auth iam}: the console's calls would need iam mode's authorization, not built yet: every page says so, with no data. */
class ConsoleIamModeTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuth(AuthSettings.defaults().withMode(AuthMode.IAM)
      .withAdminKey("AKIACONSOLETEST00002", "console-iam-secret")));

  @Test
  void everyPageRefusesWithoutData() {
    ConsolePages pages = new ConsolePages(server.endpoint());
    for (String path : new String[] {"", "signin", "queues", "queues/anything", "queues/anything/live"}) {
      HttpResponse<String> page = pages.get(ConsolePages.PREFIX + path);
      assertThat(page.statusCode()).as(path).isEqualTo(401);
      assertThat(page.body()).contains("Sign-in needed").contains("--auth iam").doesNotContain("<table");
    }
    HttpResponse<String> signIn = pages.post(ConsolePages.PREFIX + "signin",
        "accessKeyId=AKIACONSOLETEST00002&secretAccessKey=console-iam-secret");
    assertThat(signIn.statusCode()).isEqualTo(401);
    assertThat(signIn.headers().firstValue("Set-Cookie")).isEmpty();
  }
}
