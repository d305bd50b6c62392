package io.eventplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The servers under test, each launched as a child JVM on a loopback port of our choosing. */
enum Target {
  /** A stateless Vert.x endpoint with canned answers: the ceiling of the HTTP path here. */
  BARE("bare-http", null),
  ELASTICMQ("elasticmq", null),
  EVENTPLANE_FSYNC("eventplane-fsync", "fsync"),
  EVENTPLANE_NONE("eventplane-none", "none"),
  /** fsync with one SQS lane: with {@link #EVENTPLANE_FSYNC_T2}, the lane count is the only difference. */
  EVENTPLANE_FSYNC_T1("eventplane-fsync-t1", "fsync", "--service-threads", "1"),
  EVENTPLANE_FSYNC_T2("eventplane-fsync-t2", "fsync", "--service-threads", "2");

  /** Where the launch commands find their jars. */
  record Layout(Path repoRoot, Path benchJar, Path elasticMqLib, Path eventplaneJar) {
    static Layout of(Path repoRoot) {
      Path root = repoRoot.toAbsolutePath().normalize();
      return new Layout(root,
          root.resolve("bench/target/eventplane-bench.jar"),
          root.resolve("bench/target/elasticmq-lib"),
          root.resolve("server/target/eventplane.jar"));
    }
  }

  final String id;
  private final String durability;
  /** What sets this target apart from another with the same durability. */
  private final List<String> flags;

  Target(String id, String durability, String... flags) {
    this.id = id;
    this.durability = durability;
    this.flags = List.of(flags);
  }

  static Target byId(String id) {
    for (Target t : values()) {
      if (t.id.equals(id)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown target " + id + "; known: bare-http, elasticmq, "
        + "eventplane-fsync, eventplane-none, eventplane-fsync-t1, eventplane-fsync-t2");
  }

  boolean isEventplane() {
    return durability != null;
  }

  /** Missing jar, or null when the target can be launched. */
  String missing(Layout layout) {
    Path needed = switch (this) {
      case BARE -> layout.benchJar();
      case ELASTICMQ -> layout.elasticMqLib();
      case EVENTPLANE_FSYNC, EVENTPLANE_NONE, EVENTPLANE_FSYNC_T1, EVENTPLANE_FSYNC_T2 -> layout.eventplaneJar();
    };
    return Files.exists(needed) ? null : needed.toString();
  }

  /**
   * The command line; {@code workDir} is this launch's private temp dir (data, config).
   * {@code jvmOptions} go to every server alike, so no one gets a better-tuned JVM.
   */
  List<String> command(Layout layout, int port, Path workDir, List<String> jvmOptions)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    switch (this) {
      case BARE -> cmd.addAll(List.of("-cp", layout.benchJar().toString(),
          BareEndpoint.class.getName(), Integer.toString(port)));
      case ELASTICMQ -> {
        Path config = workDir.resolve("elasticmq.conf");
        Files.writeString(config, """
            include classpath("application.conf")
            node-address { protocol = "http", host = "127.0.0.1", port = %d, context-path = "" }
            rest-sqs { enabled = true, bind-port = %d, bind-hostname = "127.0.0.1", sqs-limits = strict }
            generate-node-address = false
            """.formatted(port, port));
        cmd.addAll(List.of("-Dconfig.file=" + config, "-cp", layout.elasticMqLib() + "/*",
            "org.elasticmq.server.Main"));
      }
      case EVENTPLANE_FSYNC, EVENTPLANE_NONE, EVENTPLANE_FSYNC_T1, EVENTPLANE_FSYNC_T2 -> {
        Path data = Files.createDirectories(workDir.resolve("data"));
        cmd.addAll(List.of("-jar", layout.eventplaneJar().toString(),
            "--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--data-dir", data.toString(), "--durability", durability));
        cmd.addAll(flags);
      }
    }
    return cmd;
  }
}
