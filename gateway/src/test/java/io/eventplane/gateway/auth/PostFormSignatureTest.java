package io.eventplane.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The form fields of a SigV4 browser upload: what is read, what is refused, and the S3 docs' example signature. */
class PostFormSignatureTest {
  /** The S3 API Reference's browser-upload example (sigv4-post-example): its policy and signature. */
  private static final String POLICY = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";
  private static final String SIGNATURE = "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e";

  private static Map<String, String> example() {
    Map<String, String> fields = new HashMap<>();
    fields.put("policy", POLICY);
    fields.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
    fields.put("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request");
    fields.put("x-amz-date", "20151229T000000Z");
    fields.put("x-amz-signature", SIGNATURE);
    return fields;
  }

  @Test
  void theS3DocsExampleVerifies() {
    PostFormSignature.Form form = PostFormSignature.read(example());
    assertThat(form.wellFormed()).isTrue();
    assertThat(form.accessKeyId()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
    KeyLookup.Found key = new KeyLookup.Found("k", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "123456789012",
        "arn:aws:iam::123456789012:root");
    assertThat(PostFormSignature.verify(form, key)).isSameAs(key);
    KeyLookup.Found other = new KeyLookup.Found("k", "another-secret-0000000000", "123456789012", "arn:aws:iam::123456789012:root");
    assertThat(PostFormSignature.verify(form, other)).isNull();
  }

  @Test
  void malformedFormsAreRefusedWithS3sErrors() {
    Map<String, String> noPolicy = example();
    noPolicy.remove("policy");
    assertThat(PostFormSignature.read(noPolicy).code()).isEqualTo("AccessDenied");
    for (String field : new String[] {"x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"}) {
      Map<String, String> missing = example();
      missing.remove(field);
      PostFormSignature.Form form = PostFormSignature.read(missing);
      assertThat(form.code()).isEqualTo("InvalidArgument");
      assertThat(form.argument()).isEqualTo(field);
      assertThat(form.message()).isEqualTo("Bucket POST must contain a field named '" + field
          + "'.  If it is specified, please check the order of the fields.");
    }
    Map<String, String> sigv2 = example();
    sigv2.put("x-amz-algorithm", "AWS4-ECDSA-P256-SHA256");
    assertThat(PostFormSignature.read(sigv2).argument()).isEqualTo("x-amz-algorithm");
    Map<String, String> service = example();
    service.put("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/sqs/aws4_request");
    assertThat(PostFormSignature.read(service).message()).isEqualTo("Credential should be scoped to correct service: 's3'.");
    Map<String, String> shortScope = example();
    shortScope.put("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3");
    assertThat(PostFormSignature.read(shortScope).argument()).isEqualTo("x-amz-credential");
    Map<String, String> otherDay = example();
    otherDay.put("x-amz-date", "20151230T000000Z");
    assertThat(PostFormSignature.read(otherDay).argument()).isEqualTo("x-amz-date");
  }
}
