package io.eventplane.functions.code;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class S3CodeSourceTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void keysAreReadPathStyleWithTheirSlashesKeptAndTheRestEncoded() {
    S3CodeSource s3 = new S3CodeSource(vertx, "http://127.0.0.1:4566/", Path.of("unused"),
        io.eventplane.common.secret.GatewaySigner.unverified("000000000000", "us-east-1"));
    assertThat(s3.url(new S3CodeLocation("code", "releases/my app+v1~*.jar", null)))
        .isEqualTo("http://127.0.0.1:4566/code/releases/my%20app%2Bv1~%2A.jar");
    assertThat(s3.url(new S3CodeLocation("code", "a.jar", "3/L4kqtJl+cE=")))
        .isEqualTo("http://127.0.0.1:4566/code/a.jar?versionId=3%2FL4kqtJl%2BcE%3D");
  }

  @Test
  void s3ErrorsBecomeLambdasInvalidParameterValue() {
    ServiceException e = S3CodeSource.s3Error(404, Buffer.buffer("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>"
        + "<Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a &amp; b</Key></Error>"));
    assertThat(e.error().code()).isEqualTo("InvalidParameterValueException");
    assertThat(e.error().message())
        .isEqualTo("Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.");
    assertThat(S3CodeSource.s3Error(503, Buffer.buffer("")).error().message())
        .isEqualTo("Error occurred while GetObject. S3 Error Code: 503. S3 Error Message: ");
  }
}
