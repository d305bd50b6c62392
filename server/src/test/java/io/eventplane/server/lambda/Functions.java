package io.eventplane.server.lambda;

import io.eventplane.server.EmbeddedServer;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Deploys the examples jar as the tests' functions. */
final class Functions {
  static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";
  static final String DIAGNOSTICS = "io.eventplane.examples.Diagnostics::handleRequest";
  private static SdkBytes jar;

  private Functions() {}

  static synchronized SdkBytes jar() {
    if (jar == null) jar = SdkBytes.fromByteArray(EmbeddedServer.examplesJar());
    return jar;
  }

  static CreateFunctionResponse create(LambdaClient lambda, String name, String handler) {
    return create(lambda, name, handler, 10, Map.of());
  }

  static CreateFunctionResponse create(LambdaClient lambda, String name, String handler, int timeout,
      Map<String, String> env) {
    return lambda.createFunction(b -> b.functionName(name).runtime(Runtime.JAVA17).role(ROLE).handler(handler)
        .timeout(timeout).memorySize(256).code(c -> c.zipFile(jar()))
        .environment(e -> e.variables(env)));
  }

  /**
   * Everything the function's instances logged, from their log streams under the nodes' data
   * directories, merged in time order (each line starts with its timestamp; a stable sort keeps a
   * stream's own order).
   */
  static String logText(EmbeddedServer server, String function) throws java.io.IOException {
    java.util.List<String> lines = new java.util.ArrayList<>();
    for (java.nio.file.Path data : server.dataDirs()) {
      java.nio.file.Path dir = data.resolve("functions/logs/000000000000").resolve(function);
      if (!java.nio.file.Files.isDirectory(dir)) continue;
      try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
        for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files.sorted()::iterator) {
          lines.addAll(java.nio.file.Files.readAllLines(f));
        }
      }
    }
    lines.sort(java.util.Comparator.comparing(l -> l.length() >= 24 ? l.substring(0, 24) : l));
    StringBuilder all = new StringBuilder();
    for (String l : lines) all.append(l).append('\n');
    return all.toString();
  }
}
