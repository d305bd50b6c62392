package io.eventplane.server.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eventplane.server.AwsCli;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The README's `aws s3` and `aws s3api` commands, run by the real `aws` command against a real server. */
class AwsCliS3Test {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  @BeforeAll
  static void cliPresent() throws Exception {
    assumeTrue(AwsCli.present(), "the aws command is not on the PATH");
  }

  private static String aws(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("aws", "--endpoint-url", server.endpoint().toString()));
    cmd.addAll(List.of(args));
    AwsCli.Result r = AwsCli.run(cmd, 180);
    assertThat(r.exitCode()).as("aws %s failed: %s", String.join(" ", args), r.err()).isZero();
    return r.out();
  }

  private static String md5(Path file) throws Exception {
    MessageDigest md = MessageDigest.getInstance("MD5");
    try (var in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  @Test
  void readmeS3CommandsWork(@TempDir Path dir) throws Exception {
    Path photo = dir.resolve("photo.jpg");
    Files.writeString(photo, "not really a jpeg");
    Path big = dir.resolve("big.bin");
    try (var out = Files.newOutputStream(big)) {
      byte[] chunk = new byte[1 << 20];
      for (int i = 0; i < 100; i++) {
        ThreadLocalRandom.current().nextBytes(chunk);
        out.write(chunk);
      }
    }
    String queueUrl = server.sqs().createQueue(b -> b.queueName("upload-events")).queueUrl();

    aws("s3", "mb", "s3://uploads");
    aws("s3api", "put-bucket-notification-configuration", "--bucket", "uploads", "--notification-configuration",
        "{\"QueueConfigurations\":[{\"Id\":\"new-uploads\",\"QueueArn\":\"arn:aws:sqs:us-east-1:000000000000:upload-events\","
            + "\"Events\":[\"s3:ObjectCreated:*\"],\"Filter\":{\"Key\":{\"FilterRules\":[{\"Name\":\"prefix\",\"Value\":\"in/\"}]}}}]}");
    aws("s3", "cp", photo.toString(), "s3://uploads/in/photo.jpg");
    aws("s3", "cp", big.toString(), "s3://uploads/in/big.bin");
    assertThat(aws("s3", "ls", "s3://uploads/in/")).contains("photo.jpg").contains("big.bin").contains("104857600");
    assertThat(aws("s3", "ls")).contains("uploads");
    Path back = dir.resolve("back.bin");
    aws("s3", "cp", "s3://uploads/in/big.bin", back.toString());
    assertThat(md5(back)).isEqualTo(md5(big));
    JsonObject head = new JsonObject(aws("s3api", "head-object", "--bucket", "uploads", "--key", "in/big.bin"));
    assertThat(head.getLong("ContentLength")).isEqualTo(104_857_600L);
    assertThat(head.getString("ETag")).as("the CLI uploads 100 MB in parts").matches("\"[0-9a-f]{32}-\\d+\"");

    // One notification per object, however it was uploaded (after the configuration's test event).
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 10 && keys.size() < 2; i++) {
      for (var m : server.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
        JsonObject event = new JsonObject(m.body());
        if (event.containsKey("Records")) {
          keys.add(event.getJsonArray("Records").getJsonObject(0).getJsonObject("s3").getJsonObject("object").getString("key"));
        }
      }
    }
    assertThat(keys).containsExactlyInAnyOrder("in/photo.jpg", "in/big.bin");

    String url = aws("s3", "presign", "s3://uploads/in/photo.jpg", "--expires-in", "300").trim();
    HttpResponse<String> presigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(presigned.statusCode()).isEqualTo(200);
    assertThat(presigned.body()).isEqualTo("not really a jpeg");

    aws("s3", "rm", "s3://uploads", "--recursive");
    aws("s3", "rb", "s3://uploads");
    assertThat(aws("s3", "ls")).doesNotContain("uploads");
  }
}
