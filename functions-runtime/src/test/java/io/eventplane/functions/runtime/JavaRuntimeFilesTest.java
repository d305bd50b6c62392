package io.eventplane.functions.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimeFilesTest {
  @Test
  void listsExactlyTheJarsTheBuildCopies() throws Exception {
    Path built = Path.of(JavaRuntimeFiles.class.getClassLoader().getResource(JavaRuntimeFiles.RESOURCES).toURI());
    List<String> names;
    try (Stream<Path> files = Files.list(built)) {
      names = files.map(p -> p.getFileName().toString()).toList();
    }
    assertThat(names).containsExactlyInAnyOrderElementsOf(JavaRuntimeFiles.JARS);
  }

  @Test
  void unpacksTheJarsOnce(@TempDir Path dir) throws URISyntaxException, Exception {
    Path out = JavaRuntimeFiles.unpack(dir.resolve("java"));
    for (String jar : JavaRuntimeFiles.JARS) assertThat(Files.size(out.resolve(jar))).isPositive();
    long modified = Files.getLastModifiedTime(out.resolve(JavaRuntimeFiles.JARS.get(0))).toMillis();
    Thread.sleep(20);
    JavaRuntimeFiles.unpack(dir.resolve("java"));
    assertThat(Files.getLastModifiedTime(out.resolve(JavaRuntimeFiles.JARS.get(0))).toMillis()).isEqualTo(modified);
  }
}
