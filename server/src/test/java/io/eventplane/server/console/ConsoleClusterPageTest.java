package io.eventplane.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cluster page over plain HTTP, on one node (standalone) and on the three-node run (the
 * clustered surefire execution includes this class): members, every partition's owner and replicas,
 * the replication lag of the partitions the answering node owns.
 */
class ConsoleClusterPageTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  @Test
  void theClusterPageShowsMembersPlacementAndLag() {
    server.sqs().createQueue(b -> b.queueName("cluster-page"));
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      ConsolePages pages = new ConsolePages(server.endpoint(node));
      HttpResponse<String> page = pages.get(ConsolePages.PREFIX + "cluster");
      assertThat(page.statusCode()).isEqualTo(200);
      String body = page.body();
      assertThat(body).contains("<h1>Cluster</h1>").contains("aria-current=\"page\">Cluster<");
      Matcher rows = Pattern.compile("<tr><th scope=\"row\">[^<]+</th><td>[^<]*</td><td>(yes|no)</td>").matcher(body);
      int members = 0;
      int self = 0;
      while (rows.find()) {
        members++;
        if (rows.group(1).equals("yes")) self++;
      }
      assertThat(members).isEqualTo(EmbeddedServer.nodes());
      assertThat(self).isEqualTo(1);
      if (EmbeddedServer.nodes() == 1) {
        assertThat(body).contains("id=\"cluster-mode\">standalone<").contains("owns all 64 partitions")
            .contains("a standalone node never hands partitions over");
      } else {
        assertThat(body).contains("id=\"cluster-mode\">cluster<").contains("Partitions (64)");
        // Each partition's row: its owner, and the lag as measured where it is owned.
        Matcher placement = Pattern.compile("<tr><th scope=\"row\">(\\d+)</th><td( class=\"self\")?>([^<]+)</td><td>([^<]*)</td>"
            + "<td>\\d+</td><td class=\"lag\">(.*?)</td></tr>").matcher(body);
        int partitions = 0;
        int owned = 0;
        while (placement.find()) {
          partitions++;
          assertThat(placement.group(4)).as("replicas of partition " + placement.group(1)).isNotEmpty()
              .doesNotContain(placement.group(3));
          if (placement.group(2) != null) {
            owned++;
            assertThat(placement.group(5)).contains(" writes, ").contains(" ms");
          } else {
            assertThat(placement.group(5)).contains("-");
          }
        }
        assertThat(partitions).isEqualTo(64);
        assertThat(owned).isPositive();
        assertThat(body).containsPattern("each partition's first placement seen here is counted, not listed: \\d+");
      }
    }
  }
}
