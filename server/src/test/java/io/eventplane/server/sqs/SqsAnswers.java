package io.eventplane.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * One answer of SQS (status, error code as clients see it, message) read the same way off both
 * wire protocols, so a table of AWS's recorded answers can be checked over JSON (the AWS SDK for
 * Java v2) and Query (form posts, XML answers) alike.
 */
final class SqsAnswers {
  static final String NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

  /** An answer: 200 with null code and message for a success. */
  record Answer(int status, String code, String message) {
    static Answer ok() {
      return new Answer(200, null, null);
    }

    static Answer error(int status, String code, String message) {
      return new Answer(status, code, message);
    }

    /** An error whose status and code are AWS's recorded ones but whose wording no recording gives. */
    static Answer errorCode(int status, String code) {
      return new Answer(status, code, null);
    }
  }

  /** Status and code always; the message too, where the expectation pins one. */
  static void assertAnswer(String what, Answer actual, Answer expected) {
    assertThat(actual.status()).as("status of %s: %s", what, actual).isEqualTo(expected.status());
    assertThat(actual.code()).as("code of %s: %s", what, actual).isEqualTo(expected.code());
    if (expected.message() != null || expected.status() == 200) {
      assertThat(actual.message()).as("message of %s", what).isEqualTo(expected.message());
    }
  }

  private final EmbeddedServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** The region Query forms are signed for. */
  private final String region;

  SqsAnswers(EmbeddedServer server) {
    this(server, "us-east-1");
  }

  /** Query forms signed (in appearance) for another region. */
  SqsAnswers(EmbeddedServer server, String region) {
    this.server = server;
    this.region = region;
  }

  /** What an SDK v2 call answered: the Query-compatible code the SDK reports, status and message. */
  static Answer json(ThrowingCallable call) {
    try {
      call.call();
      return Answer.ok();
    } catch (AwsServiceException e) {
      return Answer.error(e.statusCode(), e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
    } catch (Throwable t) {
      throw new AssertionError("not an AWS service answer", t);
    }
  }

  /** A Query reply: the status, the XML, and for errors the Error element's Code and Message. */
  record QueryReply(int status, Document xml, String raw) {
    Answer answer() {
      if (status == 200) return Answer.ok();
      Element error = (Element) xml.getElementsByTagNameNS(NAMESPACE, "Error").item(0);
      assertThat(error).as(raw).isNotNull();
      return Answer.error(status, text(error, "Code"), text(error, "Message"));
    }

    List<Element> all(String tag) {
      NodeList nodes = xml.getElementsByTagNameNS(NAMESPACE, tag);
      List<Element> out = new ArrayList<>();
      for (int i = 0; i < nodes.getLength(); i++) out.add((Element) nodes.item(i));
      return out;
    }

    String text(String tag) {
      List<Element> found = all(tag);
      assertThat(found).as("<%s> in %s", tag, raw).isNotEmpty();
      return found.get(0).getTextContent();
    }

    static String text(Element in, String tag) {
      NodeList n = in.getElementsByTagNameNS(NAMESPACE, tag);
      return n.getLength() == 0 ? null : n.item(0).getTextContent();
    }

    /** Name/Value pairs of the flattened map elements named {@code tag} under {@code in}. */
    static Map<String, String> pairs(Element in, String tag, String keyName) {
      Map<String, String> out = new LinkedHashMap<>();
      NodeList n = in.getElementsByTagNameNS(NAMESPACE, tag);
      for (int i = 0; i < n.getLength(); i++) {
        Element e = (Element) n.item(i);
        if (e.getParentNode() == in) out.put(text(e, keyName), text(e, "Value"));
      }
      return out;
    }
  }

  /** Posts a Query form (keys and values alternating), signed-looking as botocore sends it. */
  QueryReply query(String... keysAndValues) throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) p.put(keysAndValues[i], keysAndValues[i + 1]);
    return query(p);
  }

  QueryReply query(Map<String, String> params) throws Exception {
    return query(Map.of(), params);
  }

  /** A Query form posted with extra HTTP headers. */
  QueryReply query(Map<String, String> headers, Map<String, String> params) throws Exception {
    Map<String, String> all = new LinkedHashMap<>(params);
    all.putIfAbsent("Version", "2012-11-05");
    String form = all.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    HttpRequest.Builder request = HttpRequest.newBuilder(server.endpoint().resolve("/"));
    headers.forEach(request::header);
    HttpResponse<String> r = http.send(request
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/" + region + "/sqs/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature=0000")
        .header("X-Amz-Date", "20250101T000000Z")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
    return new QueryReply(r.statusCode(), doc, r.body());
  }

  /** A plain HTTP answer: status, Content-Type and body as sent. */
  record Raw(int status, String contentType, String body) {}

  /**
   * A GET with the parameters (keys and values alternating) in the query string, SigV4-signed-looking
   * for SQS as an HTTP client signing for the service sends it, to a URL (a queue URL or the endpoint).
   */
  Raw get(String url, Map<String, String> headers, String... keysAndValues) throws Exception {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      q.append(q.length() == 0 ? "?" : "&").append(encode(keysAndValues[i])).append('=').append(encode(keysAndValues[i + 1]));
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(java.net.URI.create(url + q));
    headers.forEach(request::header);
    HttpResponse<String> r = http.send(request
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/" + region + "/sqs/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=0000")
        .header("X-Amz-Date", "20250101T000000Z")
        .timeout(Duration.ofSeconds(30))
        .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Raw(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
  }

  /** The Query answer of a form. */
  Answer queryAnswer(String... keysAndValues) throws Exception {
    return query(keysAndValues).answer();
  }

  /** Attribute.N.Name/Value pairs, for CreateQueue and SetQueueAttributes forms. */
  static String[] withAttributes(String[] base, Map<String, String> attributes) {
    List<String> out = new ArrayList<>(List.of(base));
    int n = 1;
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      out.add("Attribute." + n + ".Name");
      out.add(e.getKey());
      out.add("Attribute." + n + ".Value");
      out.add(e.getValue());
      n++;
    }
    return out.toArray(String[]::new);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
  }
}
