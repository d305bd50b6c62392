package io.eventplane.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.server.EmbeddedServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With signatures verified, the console shows no data: every page says it needs a signed-in identity. */
class ConsoleSignInTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuth(AuthSettings.defaults().withMode(AuthMode.SIGV4)
      .withAdminKey("AKIACONSOLETEST00001", "console-test-secret")));

  @Test
  void everyPageNeedsTheSignIn() {
    ConsolePages pages = new ConsolePages(server.endpoint());
    for (String path : new String[] {"", "queues", "queues/anything", "queues/anything/peek", "queues/anything/live"}) {
      HttpResponse<String> page = pages.get(ConsolePages.PREFIX + path);
      assertThat(page.statusCode()).as(path).isEqualTo(401);
      assertThat(page.body()).contains("Sign-in needed").doesNotContain("<table");
    }
    assertThat(pages.post(ConsolePages.PREFIX + "queues/anything/send", "body=x").statusCode()).isEqualTo(401);
    // The scripts are public, as on any site.
    assertThat(pages.get(ConsolePages.PREFIX + "assets/console.js").statusCode()).isEqualTo(200);
    assertThat(pages.get("/", "Accept", "text/html").statusCode()).isEqualTo(302);
  }
}
