package io.eventplane.functions.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The jars of the java runtimes' workers: AWS's runtime interface client and what it needs, built
 * into this module's resources ({@value #RESOURCES}) and unpacked once into the node's data
 * directory, from where every java worker loads them. Blocking.
 */
public final class JavaRuntimeFiles {
  static final String RESOURCES = "eventplane/lambda-java-runtime/";
  /** Every jar the build copies there (the module's test checks the list against the build). */
  public static final List<String> JARS = List.of(
      "aws-lambda-java-runtime-interface-client.jar",
      "aws-lambda-java-core.jar",
      "aws-lambda-java-serialization.jar",
      "utils-lite.jar",
      "annotations.jar");
  /** The runtime client's entry point: {@code AWSLambda <handler>}. */
  public static final String MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

  private JavaRuntimeFiles() {}

  /** Unpacks the jars into {@code dir} (replacing what a different build left, keeping what is the same) and returns it. */
  public static Path unpack(Path dir) {
    try {
      Files.createDirectories(dir);
      for (String jar : JARS) {
        try (InputStream in = JavaRuntimeFiles.class.getClassLoader().getResourceAsStream(RESOURCES + jar)) {
          if (in == null) throw new IllegalStateException("the build left out " + RESOURCES + jar);
          byte[] bytes = in.readAllBytes();
          Path target = dir.resolve(jar);
          if (Files.isRegularFile(target) && java.util.Arrays.equals(Files.readAllBytes(target), bytes)) continue;
          Path tmp = Files.createTempFile(dir, jar, ".tmp");
          Files.write(tmp, bytes);
          Files.move(tmp, dir.resolve(jar), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
