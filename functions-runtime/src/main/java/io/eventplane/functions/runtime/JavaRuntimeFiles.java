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
  /**
   * The workers' entry point ({@code EventplaneLambda <handler>}): AWS's runtime client's main with
   * invocation ends marked in the output (see {@code bootstrap.EndMarker}).
   */
  public static final String MAIN = "io.eventplane.functions.bootstrap.EventplaneLambda";
  /** The jar of that entry point, made at unpacking from this module's classes (the server never loads them). */
  static final String BOOTSTRAP_JAR = "eventplane-lambda-bootstrap.jar";
  /** The classes of the bootstrap jar: every class of the {@code bootstrap} package (the module's test checks). */
  static final List<String> BOOTSTRAP_CLASSES = List.of(
      "io/eventplane/functions/bootstrap/EventplaneLambda.class",
      "io/eventplane/functions/bootstrap/MarkingRuntimeClient.class",
      "io/eventplane/functions/bootstrap/EndMarker.class");

  private JavaRuntimeFiles() {}

  /** The system property that makes the client load its JNI library from a given file. */
  public static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

  /**
   * The runtime client's native library for this machine, unpacked next to the jars. Left to
   * itself the client copies it to the fixed path /tmp/.libaws-lambda-jni.so at every start, and
   * instances starting together overwrite the file while another maps it (SIGBUS, seen under
   * load); each worker is pointed at this copy instead ({@link #JNI_PROPERTY}).
   */
  public static Path nativeLibrary(Path dir) {
    return dir.resolve(nativeLibraryName());
  }

  static String nativeLibraryName() {
    String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
    boolean musl;
    try (java.util.stream.Stream<Path> libs = Files.list(Path.of("/lib"))) {
      musl = libs.anyMatch(p -> p.getFileName().toString().startsWith("ld-musl"));
    } catch (IOException e) {
      musl = false;
    }
    return "libaws-lambda-jni.linux" + (musl ? "_musl-" : "-") + arch + ".so";
  }

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
      writeIfChanged(dir.resolve(BOOTSTRAP_JAR), bootstrapJar());
      Path lib = nativeLibrary(dir);
      try (java.util.zip.ZipFile ric = new java.util.zip.ZipFile(dir.resolve(JARS.get(0)).toFile())) {
        java.util.zip.ZipEntry entry = ric.getEntry("jni/" + nativeLibraryName());
        if (entry == null) throw new IllegalStateException("the runtime client has no jni/" + nativeLibraryName());
        byte[] bytes;
        try (InputStream in = ric.getInputStream(entry)) {
          bytes = in.readAllBytes();
        }
        writeIfChanged(lib, bytes);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeIfChanged(Path target, byte[] bytes) throws IOException {
    if (Files.isRegularFile(target) && java.util.Arrays.equals(Files.readAllBytes(target), bytes)) return;
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The bootstrap classes as a jar, byte for byte the same for the same classes (fixed entry times). */
  static byte[] bootstrapJar() throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(out)) {
      for (String name : BOOTSTRAP_CLASSES) {
        try (InputStream in = JavaRuntimeFiles.class.getClassLoader().getResourceAsStream(name)) {
          if (in == null) throw new IllegalStateException("the build left out " + name);
          java.util.jar.JarEntry entry = new java.util.jar.JarEntry(name);
          entry.setTime(0);
          jar.putNextEntry(entry);
          in.transferTo(jar);
          jar.closeEntry();
        }
      }
    }
    return out.toByteArray();
  }
}
