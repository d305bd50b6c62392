package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.eventplane.common.config.FunctionLimits;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Instances that wait too long are ended; runtimes pick their JVM. On a node whose idle limit is
 * 3 s: long enough that a second invoke on a loaded machine (three in-process nodes) still finds the
 * first one's instance warm, short enough to wait out.
 */
class InstanceLifecycleTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer(new FunctionLimits(16, 3, 300));

  private JsonObject invoke(String function) {
    return new JsonObject(server.lambda().invoke(b -> b.functionName(function).payload(SdkBytes.fromUtf8String("{}")))
        .payload().asUtf8String());
  }

  @Test
  void idleInstancesAreReapedAndTheNextInvokeStartsANewOne() throws Exception {
    Functions.create(server.lambda(), "sleepy", Functions.DIAGNOSTICS);
    JsonObject first = invoke("sleepy");
    assertThat(invoke("sleepy").getInteger("invocationsOfThisInstance")).as("warm right after").isEqualTo(2);
    Thread.sleep(7000);
    JsonObject later = invoke("sleepy");
    assertThat(later.getInteger("invocationsOfThisInstance")).as("a new instance after the idle limit").isEqualTo(1);
    assertThat(later.getLong("instanceStartedAt")).isGreaterThan(first.getLong("instanceStartedAt"));
  }

  @Test
  void java21RunsOnAJvmOfAtLeast21() throws Exception {
    assumeThat(newestJdk()).as("a JDK 21 or newer on this machine").isGreaterThanOrEqualTo(21);
    server.lambda().createFunction(b -> b.functionName("on21").runtime(Runtime.JAVA21).role(Functions.ROLE)
        .handler(Functions.DIAGNOSTICS).code(c -> c.zipFile(Functions.jar())));
    String version = invoke("on21").getString("javaVersion");
    assertThat(Integer.parseInt(version.split("[.+-]")[0])).isGreaterThanOrEqualTo(21);
    Functions.create(server.lambda(), "on17", Functions.DIAGNOSTICS);
    assertThat(invoke("on17").getString("javaVersion")).startsWith(String.valueOf(java.lang.Runtime.version().feature()));
  }

  private static int newestJdk() throws Exception {
    int best = java.lang.Runtime.version().feature();
    Path root = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(root)) return best;
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        Path release = d.resolve("release");
        if (!Files.isRegularFile(release)) continue;
        Properties p = new Properties();
        try (var in = Files.newInputStream(release)) {
          p.load(in);
        }
        String v = p.getProperty("JAVA_VERSION", "").replace("\"", "");
        if (!v.isEmpty() && !v.startsWith("1.")) best = Math.max(best, Integer.parseInt(v.split("[.+-]")[0]));
      }
    }
    return best;
  }
}
