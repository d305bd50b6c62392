package io.eventplane.functions.runtime;

import io.eventplane.functions.code.CodeCache;
import io.eventplane.functions.domain.Function;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds the command and environment of a function's instance as Lambda sets them up: the
 * reserved variables (AWS_LAMBDA_FUNCTION_NAME, _HANDLER, LAMBDA_TASK_ROOT, ...), the function's
 * own variables, its execution role's temporary credentials and {@code AWS_ENDPOINT_URL} pointing at this Eventplane so that SDK
 * clients in the handler talk to it, and for java runtimes a JVM sized from MemorySize running
 * AWS's runtime interface client (through {@code bootstrap.EventplaneLambda}, which marks each
 * invocation's end in the output). Blocking (unpacks the package on first use).
 */
public final class Launcher {
  private final CodeCache code;
  private final Path javaRuntime;
  private final JavaHomes javaHomes;
  private final String endpointUrl;
  private final Path pipes;
  private final FunctionCredentials credentials;

  /**
   * @param pipes where the named pipes of java instances' log records are made (emptied here)
   * @param credentials mints each instance's execution-role credentials
   */
  public Launcher(CodeCache code, Path javaRuntime, JavaHomes javaHomes, String endpointUrl, Path pipes,
      FunctionCredentials credentials) {
    this.code = code;
    this.credentials = credentials;
    this.pipes = pipes;
    this.javaRuntime = javaRuntime;
    this.javaHomes = javaHomes;
    this.endpointUrl = endpointUrl;
  }

  /** @param zip reads the package from the store when this node has not unpacked it yet */
  public Launch launch(Function f, String instanceId, Supplier<byte[]> zip) {
    Path taskRoot = code.directory(f.codeSha256(), zip);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("LANG", "en_US.UTF-8");
    env.put("TZ", ":UTC");
    env.put("LD_LIBRARY_PATH", taskRoot + "/lib:" + taskRoot);
    env.put("HOME", System.getProperty("java.io.tmpdir"));
    env.putAll(credentials.environment(f));
    env.put("AWS_ENDPOINT_URL", endpointUrl);
    env.putAll(f.environment());
    env.put("_HANDLER", f.handler());
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + f.runtime());
    env.put("AWS_REGION", f.region());
    env.put("AWS_DEFAULT_REGION", f.region());
    env.put("AWS_LAMBDA_FUNCTION_NAME", f.name());
    env.put("AWS_LAMBDA_FUNCTION_VERSION", f.version());
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(f.memoryMb()));
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", logGroupName(f));
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStreamName(f, instanceId));
    env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
    env.put("LAMBDA_RUNTIME_DIR", javaRuntime.toString());
    List<String> command = new ArrayList<>();
    Path telemetry = null;
    if (Runtimes.isJava(f.runtime())) {
      // The JVM inherits the pipe as fd 3: Java cannot hand a child more than 0-2, a shell can.
      // Opened read-write, which never waits for a reader: a write-only open blocks until this
      // node's reader opens its end, and a node killed in between left the shell waiting forever.
      telemetry = makePipe(instanceId);
      env.put("_LAMBDA_TELEMETRY_LOG_FD", "3");
      command.add("/bin/sh");
      command.add("-c");
      command.add("exec \"$@\" 3<>\"$0\"");
      command.add(telemetry.toString());
      int heap = Math.max(32, f.memoryMb() * 85 / 100);
      Path java = javaHomes.javaFor(Runtimes.javaVersion(f.runtime())).orElseThrow(() ->
          new IllegalStateException("no JVM for " + f.runtime() + " on this node"));
      command.add(java.toString());
      command.add("-Xmx" + heap + "m");
      command.add("-XX:+TieredCompilation");
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-XX:+UseSerialGC");
      command.add("-Xshare:auto");
      command.add("-XX:-UsePerfData");
      // As Lambda's java bootstrap: the runtime client makes the telemetry descriptor by reflection.
      command.add("--add-opens=java.base/java.io=ALL-UNNAMED");
      command.add("-D" + JavaRuntimeFiles.JNI_PROPERTY + "=" + JavaRuntimeFiles.nativeLibrary(javaRuntime));
      command.add("-cp");
      command.add(javaRuntime + "/*");
      command.add(JavaRuntimeFiles.MAIN);
      command.add(f.handler());
    } else {
      command.add(taskRoot.resolve("bootstrap").toString());
    }
    return new Launch(command, taskRoot, env, f.versionArn(), telemetry, Runtimes.isJava(f.runtime()));
  }

  /** Removes pipes left by instances of an earlier run of the node (killed before they cleaned up). */
  public static void clearPipes(Path pipes) throws IOException {
    Files.createDirectories(pipes);
    try (var stale = Files.list(pipes)) {
      for (Path p : (Iterable<Path>) stale::iterator) Files.deleteIfExists(p);
    }
  }

  private Path makePipe(String instanceId) {
    Path pipe = pipes.resolve(instanceId + ".telemetry");
    try {
      Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", pipe.toString()).redirectErrorStream(true).start();
      String output = new String(mkfifo.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (mkfifo.waitFor() != 0) throw new IllegalStateException("mkfifo " + pipe + " failed: " + output.strip());
    } catch (IOException e) {
      throw new IllegalStateException("cannot make the log pipe " + pipe + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted making " + pipe, e);
    }
    return pipe;
  }

  /** The log group of a function's instances, as Lambda names it. */
  public static String logGroupName(Function f) {
    return "/aws/lambda/" + f.name();
  }

  /** The log stream of an instance, as Lambda names it: {@code 2026/12/03/[$LATEST]<instance>}. */
  public static String logStreamName(Function f, String instanceId) {
    return LocalDate.now(ZoneOffset.UTC).toString().replace('-', '/') + "/[" + f.version() + "]" + instanceId;
  }
}
