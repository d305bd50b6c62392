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

  @Test
  void theBootstrapJarHoldsEveryClassOfTheBootstrapPackage(@TempDir Path dir) throws Exception {
    Path classes = Path.of(JavaRuntimeFiles.class.getClassLoader().getResource("io/eventplane/functions/bootstrap").toURI());
    List<String> built;
    try (Stream<Path> files = Files.list(classes)) {
      built = files.map(p -> "io/eventplane/functions/bootstrap/" + p.getFileName()).toList();
    }
    assertThat(built).containsExactlyInAnyOrderElementsOf(JavaRuntimeFiles.BOOTSTRAP_CLASSES);
    Path out = JavaRuntimeFiles.unpack(dir.resolve("java"));
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(out.resolve(JavaRuntimeFiles.BOOTSTRAP_JAR).toFile())) {
      assertThat(jar.stream().map(java.util.jar.JarEntry::getName).toList())
          .containsExactlyElementsOf(JavaRuntimeFiles.BOOTSTRAP_CLASSES);
    }
    // The same classes make the same bytes, so a node's second start leaves the jar alone.
    assertThat(JavaRuntimeFiles.bootstrapJar()).isEqualTo(JavaRuntimeFiles.bootstrapJar());
  }
}
