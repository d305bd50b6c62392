package io.eventplane.functions.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The JVMs a java worker can run on: the server's own, and any JDK under {@code /usr/lib/jvm} (or
 * the directories given). A runtime gets the server's JVM when it is new enough, else the oldest
 * installed one that is. Blocking (reads the JDKs' {@code release} files once).
 */
public final class JavaHomes {
  private record Home(Path javaHome, int version) {}

  private final List<Home> homes = new ArrayList<>();

  public JavaHomes(List<Path> searchRoots) {
    Path own = Path.of(System.getProperty("java.home"));
    homes.add(new Home(own, Runtime.version().feature()));
    for (Path root : searchRoots) {
      if (!Files.isDirectory(root)) continue;
      try (Stream<Path> dirs = Files.list(root)) {
        dirs.sorted().forEach(d -> versionOf(d).ifPresent(v -> homes.add(new Home(d, v))));
      } catch (IOException e) {
        // no other JDKs
      }
    }
  }

  /** The java executable for a runtime that needs {@code feature}, if this machine has one. */
  public Optional<Path> javaFor(int feature) {
    if (homes.get(0).version() >= feature) return Optional.of(homes.get(0).javaHome().resolve("bin/java"));
    return homes.stream().filter(h -> h.version() >= feature && Files.isExecutable(h.javaHome().resolve("bin/java")))
        .min(java.util.Comparator.comparingInt(Home::version)).map(h -> h.javaHome().resolve("bin/java"));
  }

  private static Optional<Integer> versionOf(Path jdk) {
    Path release = jdk.resolve("release");
    if (!Files.isRegularFile(release)) return Optional.empty();
    try (var in = Files.newInputStream(release)) {
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("JAVA_VERSION", "").replace("\"", "");
      if (v.isEmpty()) return Optional.empty();
      String major = v.startsWith("1.") ? v.substring(2, 3) : v.split("[.+-]")[0];
      return Optional.of(Integer.parseInt(major));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
