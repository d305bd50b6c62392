package io.eventplane.server.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionCodeResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The thumbnail pattern end to end: a function deployed from a package in S3 (Code.S3Bucket and
 * Code.S3Key), an image uploaded to one bucket, the S3 notification invoking the function, and
 * the function's thumbnail read back from a second bucket. Also Lambda's answers when the S3
 * source is wrong, a package taken from an older version of a versioned object
 * (Code.S3ObjectVersion), and UpdateFunctionCode from S3.
 */
class ThumbnailPatternTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static final String HANDLER = "io.eventplane.examples.thumbnail.Thumbnailer::handleRequest";
  private static final String ACCOUNT = "000000000000";

  private static S3Client s3() {
    return server.s3();
  }

  private static byte[] thumbnailJar() {
    Path jar = Path.of(System.getProperty("eventplane.thumbnail.jar", "../examples/target/eventplane-thumbnail.jar"));
    try {
      return Files.readAllBytes(jar);
    } catch (IOException e) {
      throw new UncheckedIOException("build the examples module (mvn package) first: " + jar, e);
    }
  }

  @Test
  void anUploadedImageGetsAThumbnailInTheOtherBucket() throws Exception {
    byte[] jar = thumbnailJar();
    s3().createBucket(b -> b.bucket("thumb-code"));
    s3().putObject(b -> b.bucket("thumb-code").key("functions/eventplane-thumbnail.jar"), RequestBody.fromBytes(jar));

    CreateFunctionResponse created = server.lambda().createFunction(b -> b.functionName("thumbnailer")
        .runtime(Runtime.JAVA17).role(Functions.ROLE).handler(HANDLER).timeout(60).memorySize(512)
        .code(c -> c.s3Bucket("thumb-code").s3Key("functions/eventplane-thumbnail.jar"))
        .environment(e -> e.variables(Map.of("THUMBNAIL_BUCKET", "thumb-thumbnails"))));
    assertThat(created.codeSha256()).isEqualTo(sha256(jar));
    assertThat(created.codeSize()).isEqualTo(jar.length);
    assertThat(downloadCode(server.lambda().getFunction(b -> b.functionName("thumbnailer")))).isEqualTo(jar);

    s3().createBucket(b -> b.bucket("thumb-uploads"));
    s3().createBucket(b -> b.bucket("thumb-thumbnails"));
    String function = "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:thumbnailer";
    server.lambda().addPermission(b -> b.functionName("thumbnailer").statementId("s3-invoke")
        .action("lambda:InvokeFunction").principal("s3.amazonaws.com")
        .sourceArn("arn:aws:s3:::thumb-uploads").sourceAccount(ACCOUNT));
    s3().putBucketNotificationConfiguration(b -> b.bucket("thumb-uploads").notificationConfiguration(n -> n
        .lambdaFunctionConfigurations(
            l -> l.id("jpg").lambdaFunctionArn(function).events(Event.S3_OBJECT_CREATED)
                .filter(f -> f.key(k -> k.filterRules(r -> r.name(FilterRuleName.SUFFIX).value(".jpg")))),
            l -> l.id("png").lambdaFunctionArn(function).events(Event.S3_OBJECT_CREATED)
                .filter(f -> f.key(k -> k.filterRules(r -> r.name(FilterRuleName.SUFFIX).value(".png")))))));

    // A space in the key: the event carries it as '+', the handler must decode it.
    s3().putObject(b -> b.bucket("thumb-uploads").key("holiday photos/beach day.jpg").contentType("image/jpeg"),
        RequestBody.fromBytes(image(640, 480, "jpeg")));
    s3().putObject(b -> b.bucket("thumb-uploads").key("tall+narrow.png").contentType("image/png"),
        RequestBody.fromBytes(image(200, 900, "png")));

    BufferedImage jpeg = awaitImage("thumbnails/holiday photos/beach day.jpg");
    assertThat(jpeg.getWidth()).isEqualTo(128);
    assertThat(jpeg.getHeight()).isEqualTo(96);
    BufferedImage png = awaitImage("thumbnails/tall+narrow.png");
    assertThat(png.getHeight()).isEqualTo(128);
    assertThat(png.getWidth()).isLessThanOrEqualTo(128).isGreaterThan(0);
    assertThat(s3().headObject(b -> b.bucket("thumb-thumbnails").key("thumbnails/tall+narrow.png")).contentType())
        .isEqualTo("image/png");
  }

  @Test
  void aMissingOrUnusableS3SourceIsRefusedAsLambdaRefusesIt() {
    s3().createBucket(b -> b.bucket("thumb-bad-code"));
    s3().putObject(b -> b.bucket("thumb-bad-code").key("not-a-zip.jar"), RequestBody.fromString("plain text"));

    assertInvalid(c -> c.s3Bucket("thumb-no-such-bucket").s3Key("code.jar"),
        "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist");
    assertInvalid(c -> c.s3Bucket("thumb-bad-code").s3Key("missing.jar"),
        "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.");
    assertInvalid(c -> c.s3Bucket("thumb-bad-code").s3Key("not-a-zip.jar"),
        "Could not unzip uploaded file. Please check your file, then try to upload again.");
    assertInvalid(c -> c.s3Bucket("thumb-bad-code").s3Key("code.jar").zipFile(SdkBytes.fromByteArray(EmbeddedServer.examplesJar())),
        "Please do not provide other FunctionCode parameters when providing a ZipFile.");
    assertInvalid(c -> c.s3Bucket("thumb-bad-code"), "S3 Bucket and Key are required for uploading with S3 parameters.");
    assertInvalid(c -> c.s3Key("code.jar"), "S3 Bucket and Key are required for uploading with S3 parameters.");
    assertInvalid(c -> { }, "Please provide a source for function code.");

    assertThatThrownBy(() -> create("thumb-broken", c -> c.s3Bucket("ab").s3Key("code.jar")))
        .isInstanceOf(LambdaException.class)
        .satisfies(e -> {
          LambdaException l = (LambdaException) e;
          assertThat(l.statusCode()).isEqualTo(400);
          assertThat(l.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(l.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value 'ab' at "
              + "'code.s3Bucket' failed to satisfy constraint: Member must have length greater than or equal to 3");
        });
    assertThatThrownBy(() -> server.lambda().getFunction(b -> b.functionName("thumb-broken")))
        .as("no failed attempt left a function behind").isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void updateFunctionCodeTakesAPackageFromS3() throws Exception {
    byte[] v1 = EmbeddedServer.examplesJar();
    byte[] v2 = withExtraEntry(v1, "version.txt", "2");
    s3().createBucket(b -> b.bucket("thumb-releases"));
    s3().putObject(b -> b.bucket("thumb-releases").key("app/v1.jar"), RequestBody.fromBytes(v1));
    s3().putObject(b -> b.bucket("thumb-releases").key("app/v 2.jar"), RequestBody.fromBytes(v2));
    create("thumb-app", c -> c.s3Bucket("thumb-releases").s3Key("app/v1.jar"));
    assertThat(invoke("thumb-app").statusCode()).isEqualTo(200);

    assertThatThrownBy(() -> server.lambda().updateFunctionCode(b -> b.functionName("thumb-app")
        .s3Bucket("thumb-releases").s3Key("app/v3.jar")))
        .isInstanceOf(InvalidParameterValueException.class)
        .hasMessageContaining("Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.");
    assertThatThrownBy(() -> server.lambda().updateFunctionCode(b -> b.functionName("thumb-app")
        .s3Bucket("thumb-releases").s3Key("app/v1.jar").zipFile(SdkBytes.fromByteArray(v2))))
        .isInstanceOf(InvalidParameterValueException.class)
        .hasMessageContaining("Please do not provide other FunctionCode parameters when providing a ZipFile.");
    assertThat(server.lambda().getFunction(b -> b.functionName("thumb-app")).configuration().codeSha256())
        .as("a failed update keeps the code").isEqualTo(sha256(v1));

    UpdateFunctionCodeResponse updated = server.lambda().updateFunctionCode(b -> b.functionName("thumb-app")
        .s3Bucket("thumb-releases").s3Key("app/v 2.jar"));
    assertThat(updated.codeSha256()).isEqualTo(sha256(v2));
    assertThat(updated.codeSize()).isEqualTo(v2.length);
    GetFunctionResponse got = server.lambda().getFunction(b -> b.functionName("thumb-app"));
    assertThat(got.configuration().codeSha256()).isEqualTo(sha256(v2));
    assertThat(downloadCode(got)).isEqualTo(v2);
    assertThat(invoke("thumb-app").functionError()).as("the new package runs").isNull();

    // An object deleted after the deployment does not matter: Lambda keeps its own copy of the package.
    s3().deleteObject(b -> b.bucket("thumb-releases").key("app/v 2.jar"));
    assertThatThrownBy(() -> s3().getObject(b -> b.bucket("thumb-releases").key("app/v 2.jar")))
        .isInstanceOf(NoSuchKeyException.class);
    assertThat(downloadCode(server.lambda().getFunction(b -> b.functionName("thumb-app")))).isEqualTo(v2);
  }

  @Test
  void aPackageIsTakenFromTheGivenVersionOfAVersionedObject() throws Exception {
    byte[] jar = EmbeddedServer.examplesJar();
    s3().createBucket(b -> b.bucket("thumb-versioned-code"));
    s3().putBucketVersioning(b -> b.bucket("thumb-versioned-code").versioningConfiguration(v -> v.status("Enabled")));
    String good = s3().putObject(b -> b.bucket("thumb-versioned-code").key("app.jar"), RequestBody.fromBytes(jar)).versionId();
    s3().putObject(b -> b.bucket("thumb-versioned-code").key("app.jar"), RequestBody.fromString("not a zip at all"));
    // A version id S3 issued but no longer has: well formed, so S3 answers NoSuchVersion, not InvalidArgument.
    String gone = s3().putObject(b -> b.bucket("thumb-versioned-code").key("app.jar"), RequestBody.fromString("short-lived"))
        .versionId();
    s3().deleteObject(b -> b.bucket("thumb-versioned-code").key("app.jar").versionId(gone));

    assertInvalid(c -> c.s3Bucket("thumb-versioned-code").s3Key("app.jar"),
        "Could not unzip uploaded file. Please check your file, then try to upload again.");
    assertInvalid(c -> c.s3Bucket("thumb-versioned-code").s3Key("app.jar").s3ObjectVersion(gone),
        "Error occurred while GetObject. S3 Error Code: NoSuchVersion. S3 Error Message: The specified version does not exist.");

    CreateFunctionResponse created = create("thumb-versioned", c -> c.s3Bucket("thumb-versioned-code").s3Key("app.jar")
        .s3ObjectVersion(good));
    assertThat(created.codeSha256()).as("the package of the version asked for, not the current one").isEqualTo(sha256(jar));
    assertThat(created.codeSize()).isEqualTo(jar.length);
    InvokeResponse ran = invoke("thumb-versioned");
    assertThat(ran.statusCode()).isEqualTo(200);
    assertThat(ran.functionError()).isNull();

    assertThatThrownBy(() -> server.lambda().updateFunctionCode(b -> b.functionName("thumb-versioned")
        .s3Bucket("thumb-versioned-code").s3Key("app.jar").s3ObjectVersion(gone)))
        .isInstanceOf(InvalidParameterValueException.class)
        .hasMessageContaining("S3 Error Code: NoSuchVersion");
    assertThat(server.lambda().getFunction(b -> b.functionName("thumb-versioned")).configuration().codeSha256())
        .as("a failed update keeps the code").isEqualTo(sha256(jar));
  }

  private static InvokeResponse invoke(String function) {
    return server.lambda().invoke(b -> b.functionName(function).payload(SdkBytes.fromUtf8String("{\"print\":\"hi\"}")));
  }

  private static CreateFunctionResponse create(String name, java.util.function.Consumer<FunctionCode.Builder> code) {
    return server.lambda().createFunction(b -> b.functionName(name).runtime(Runtime.JAVA17).role(Functions.ROLE)
        .handler(Functions.DIAGNOSTICS).timeout(30).memorySize(256).code(code));
  }

  private static void assertInvalid(java.util.function.Consumer<FunctionCode.Builder> code, String message) {
    assertThatThrownBy(() -> create("thumb-broken", code))
        .isInstanceOf(InvalidParameterValueException.class)
        .satisfies(e -> {
          InvalidParameterValueException l = (InvalidParameterValueException) e;
          assertThat(l.statusCode()).isEqualTo(400);
          assertThat(l.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
  }

  private static BufferedImage awaitImage(String key) {
    byte[] bytes = Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
        .ignoreException(NoSuchKeyException.class)
        .until(() -> s3().getObjectAsBytes(b -> b.bucket("thumb-thumbnails").key(key)).asByteArray(), b -> b.length > 0);
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      assertThat(image).as("%s decodes as an image", key).isNotNull();
      assertThat(Math.max(image.getWidth(), image.getHeight())).isLessThanOrEqualTo(128);
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A test card: stripes of colour, so a scaled copy is a real picture, not a blank. */
  private static byte[] image(int width, int height, String format) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};
    for (int i = 0; i < colours.length; i++) {
      g.setColor(colours[i]);
      g.fillRect(i * width / colours.length, 0, width / colours.length + 1, height);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, format, out)).isTrue();
    return out.toByteArray();
  }

  /** GetFunction's Code.Location serves the package as deployed. */
  private static byte[] downloadCode(GetFunctionResponse function) throws Exception {
    assertThat(function.code().repositoryType()).isEqualTo("S3");
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(function.code().location())).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static byte[] withExtraEntry(byte[] zip, String name, String content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip)); ZipOutputStream z = new ZipOutputStream(out)) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        z.putNextEntry(new ZipEntry(e.getName()));
        in.transferTo(z);
        z.closeEntry();
      }
      z.putNextEntry(new ZipEntry(name));
      z.write(content.getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    return out.toByteArray();
  }
}
