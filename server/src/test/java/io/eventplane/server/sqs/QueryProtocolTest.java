package io.eventplane.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.AmazonSQSClientBuilder;
import com.amazonaws.services.sqs.model.AmazonSQSException;
import com.amazonaws.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import com.amazonaws.services.sqs.model.CreateQueueRequest;
import com.amazonaws.services.sqs.model.DeleteMessageBatchRequestEntry;
import com.amazonaws.services.sqs.model.ListMessageMoveTasksRequest;
import com.amazonaws.services.sqs.model.ListMessageMoveTasksResultEntry;
import com.amazonaws.services.sqs.model.Message;
import com.amazonaws.services.sqs.model.MessageAttributeValue;
import com.amazonaws.services.sqs.model.QueueDoesNotExistException;
import com.amazonaws.services.sqs.model.ReceiptHandleIsInvalidException;
import com.amazonaws.services.sqs.model.ReceiveMessageRequest;
import com.amazonaws.services.sqs.model.SendMessageBatchRequestEntry;
import com.amazonaws.services.sqs.model.SendMessageRequest;
import com.amazonaws.services.sqs.model.StartMessageMoveTaskRequest;
import io.eventplane.server.EmbeddedServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The two older ways clients reach SQS, against a real server:
 *
 * <ul>
 *   <li>the AWS Query protocol ({@code Action=...} form posts, XML answers) as botocore before
 *       1.31.81, Debian's awscli and boto3, and old Java SDK v1 releases send it: spoken here
 *       directly over HTTP, checking XML shape, namespaces, error documents and the digests a
 *       client verifies;
 *   <li>the AWS SDK for Java v1 ({@code aws-java-sdk-sqs} 1.12.500, pinned in the pom because later
 *       releases switched SQS to AWS JSON 1.0): a real Query client with its own marshallers, XML
 *       unmarshallers, MD5 checks and error mapping.
 * </ul>
 */
class QueryProtocolTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static final String NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";
  private static final String TRICKY_BODY = "line one\r\nline two\rcr only\nlf only\ttab "
      + "héllo wörld 日本語 🌍🚀 <tag attr=\"v\">&amp;</tag> ' % + = ? # ;";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private AmazonSQS v1;

  @BeforeEach
  void v1Client() {
    v1 = AmazonSQSClientBuilder.standard()
        .withEndpointConfiguration(new EndpointConfiguration(server.endpoint().toString(), "us-east-1"))
        .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials("test", "test")))
        .build();
  }

  @AfterEach
  void closeV1() {
    v1.shutdown();
  }

  // ======================================================================================
  // The Query protocol, spoken directly
  // ======================================================================================

  /** A parsed Query answer. */
  private record Reply(int status, Document xml, String raw, HttpResponse<String> response) {
    Element root() {
      return xml.getDocumentElement();
    }

    String text(String tag) {
      List<Element> found = all(root(), tag);
      assertThat(found).as("<%s> in %s", tag, raw).isNotEmpty();
      return found.get(0).getTextContent();
    }

    List<Element> all(String tag) {
      return all(root(), tag);
    }

    static List<Element> all(Element in, String tag) {
      NodeList nodes = in.getElementsByTagNameNS(NAMESPACE, tag);
      List<Element> out = new ArrayList<>();
      for (int i = 0; i < nodes.getLength(); i++) out.add((Element) nodes.item(i));
      return out;
    }

    /** The direct child elements named {@code tag}. */
    static List<Element> children(Element in, String tag) {
      List<Element> out = new ArrayList<>();
      for (Node n = in.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && tag.equals(e.getLocalName())) out.add(e);
      }
      return out;
    }

    static String child(Element in, String tag) {
      List<Element> c = children(in, tag);
      return c.isEmpty() ? null : c.get(0).getTextContent();
    }

    /** Name/Value (or Key/Value) pairs of the flattened map elements named {@code tag}. */
    static Map<String, String> pairs(Element in, String tag, String keyName) {
      Map<String, String> out = new TreeMap<>();
      for (Element e : children(in, tag)) out.put(child(e, keyName), child(e, "Value"));
      return out;
    }

    void isSuccessOf(String action) {
      assertThat(status).as(raw).isEqualTo(200);
      assertThat(root().getLocalName()).isEqualTo(action + "Response");
      assertThat(root().getNamespaceURI()).isEqualTo(NAMESPACE);
      Element metadata = children(root(), "ResponseMetadata").get(0);
      assertThat(child(metadata, "RequestId")).isNotBlank().isEqualTo(response.headers().firstValue("x-amzn-RequestId").orElseThrow());
    }

    void isError(int expectedStatus, String code, String type) {
      assertThat(status).as(raw).isEqualTo(expectedStatus);
      assertThat(root().getLocalName()).isEqualTo("ErrorResponse");
      assertThat(root().getNamespaceURI()).isEqualTo(NAMESPACE);
      Element error = children(root(), "Error").get(0);
      assertThat(child(error, "Code")).isEqualTo(code);
      assertThat(child(error, "Type")).isEqualTo(type);
      assertThat(child(error, "Message")).isNotBlank();
      assertThat(child(root(), "RequestId")).isNotBlank();
      assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
    }
  }

  private static Map<String, String> params(String... keysAndValues) {
    Map<String, String> p = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) p.put(keysAndValues[i], keysAndValues[i + 1]);
    return p;
  }

  /** Form-encodes as botocore does: %20 for spaces, everything but unreserved characters escaped. */
  private static String form(Map<String, String> params, boolean plusForSpace) {
    return params.entrySet().stream()
        .map(e -> encode(e.getKey(), plusForSpace) + "=" + encode(e.getValue(), plusForSpace))
        .collect(Collectors.joining("&"));
  }

  private static String encode(String s, boolean plusForSpace) {
    String e = URLEncoder.encode(s, StandardCharsets.UTF_8);
    return plusForSpace ? e : e.replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
  }

  private Reply send(HttpRequest request) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
    return new Reply(r.statusCode(), doc, r.body(), r);
  }

  /** POSTs a form to {@code path}, with a SigV4-style Authorization header naming the sqs scope. */
  private Reply query(String path, Map<String, String> params, boolean plusForSpace) throws Exception {
    Map<String, String> all = new LinkedHashMap<>(params);
    all.putIfAbsent("Version", "2012-11-05");
    return send(HttpRequest.newBuilder(server.endpoint().resolve(path))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature=0000")
        .header("X-Amz-Date", "20250101T000000Z")
        .POST(HttpRequest.BodyPublishers.ofString(form(all, plusForSpace))).build());
  }

  private Reply query(Map<String, String> params) throws Exception {
    return query("/", params, false);
  }

  private Reply query(String... keysAndValues) throws Exception {
    return query(params(keysAndValues));
  }

  private String createQueue(String name, String... attributesKeysAndValues) throws Exception {
    Map<String, String> p = params("Action", "CreateQueue", "QueueName", name);
    for (int i = 0, n = 1; i < attributesKeysAndValues.length; i += 2, n++) {
      p.put("Attribute." + n + ".Name", attributesKeysAndValues[i]);
      p.put("Attribute." + n + ".Value", attributesKeysAndValues[i + 1]);
    }
    Reply r = query(p);
    r.isSuccessOf("CreateQueue");
    return r.text("QueueUrl");
  }

  private String arn(String url) throws Exception {
    Reply r = query("Action", "GetQueueAttributes", "QueueUrl", url, "AttributeName.1", "QueueArn");
    return Reply.pairs(Reply.all(r.root(), "GetQueueAttributesResult").get(0), "Attribute", "Name").get("QueueArn");
  }

  private List<Element> receive(String url, String... extra) throws Exception {
    Map<String, String> p = params("Action", "ReceiveMessage", "QueueUrl", url, "MaxNumberOfMessages", "10");
    p.putAll(params(extra));
    Reply r = query(p);
    r.isSuccessOf("ReceiveMessage");
    return r.all("Message");
  }

  // ---- digests, as clients compute them

  private record Attr(String type, String string, byte[] binary) {
    static Attr string(String type, String value) {
      return new Attr(type, value, null);
    }

    static Attr binary(String type, byte[] value) {
      return new Attr(type, null, value);
    }
  }

  static String md5Hex(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  /** The documented message-attribute digest: sorted names; length-prefixed name, type, transport byte, value. */
  static String md5OfAttributes(SortedMap<String, Attr> attributes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, Attr> e : attributes.entrySet()) {
      lengthPrefixed(out, e.getKey().getBytes(StandardCharsets.UTF_8));
      lengthPrefixed(out, e.getValue().type().getBytes(StandardCharsets.UTF_8));
      if (e.getValue().binary() != null) {
        out.write(2);
        lengthPrefixed(out, e.getValue().binary());
      } else {
        out.write(1);
        lengthPrefixed(out, e.getValue().string().getBytes(StandardCharsets.UTF_8));
      }
    }
    return md5Hex(out.toByteArray());
  }

  private static void lengthPrefixed(ByteArrayOutputStream out, byte[] bytes) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }

  // ---- the Query tests

  @Test
  void queryQueueLifecycleWithAttributesAndTags() throws Exception {
    Reply created = query(params("Action", "CreateQueue", "QueueName", "q-orders",
        "Attribute.1.Name", "VisibilityTimeout", "Attribute.1.Value", "45",
        "Attribute.2.Name", "DelaySeconds", "Attribute.2.Value", "0",
        "Attribute.3.Name", "MaximumMessageSize", "Attribute.3.Value", "2048",
        "Tag.1.Key", "team", "Tag.1.Value", "payments",
        "Tag.2.Key", "env", "Tag.2.Value", "dev & test"));
    created.isSuccessOf("CreateQueue");
    String url = created.text("QueueUrl");
    assertThat(url).isEqualTo(server.endpoint() + "/000000000000/q-orders");

    Reply got = query("Action", "GetQueueUrl", "QueueName", "q-orders");
    got.isSuccessOf("GetQueueUrl");
    assertThat(got.text("QueueUrl")).isEqualTo(url);

    createQueue("q-other");
    Reply listed = query("Action", "ListQueues", "QueueNamePrefix", "q-o");
    listed.isSuccessOf("ListQueues");
    assertThat(listed.all("QueueUrl")).extracting(Element::getTextContent)
        .containsExactly(url, server.endpoint() + "/000000000000/q-other");
    Reply paged = query("Action", "ListQueues", "MaxResults", "1");
    assertThat(paged.all("QueueUrl")).hasSize(1);
    Reply next = query("Action", "ListQueues", "MaxResults", "1", "NextToken", paged.text("NextToken"));
    assertThat(next.all("QueueUrl")).extracting(Element::getTextContent).containsExactly(server.endpoint() + "/000000000000/q-other");

    Reply attrs = query("Action", "GetQueueAttributes", "QueueUrl", url, "AttributeName.1", "All");
    attrs.isSuccessOf("GetQueueAttributes");
    Map<String, String> all = Reply.pairs(attrs.all("GetQueueAttributesResult").get(0), "Attribute", "Name");
    assertThat(all).containsEntry("VisibilityTimeout", "45").containsEntry("MaximumMessageSize", "2048")
        .containsEntry("QueueArn", "arn:aws:sqs:us-east-1:000000000000:q-orders")
        .containsEntry("ApproximateNumberOfMessages", "0").containsKeys("CreatedTimestamp", "LastModifiedTimestamp");

    Reply set = query("Action", "SetQueueAttributes", "QueueUrl", url,
        "Attribute.1.Name", "VisibilityTimeout", "Attribute.1.Value", "60",
        "Attribute.2.Name", "ReceiveMessageWaitTimeSeconds", "Attribute.2.Value", "1");
    set.isSuccessOf("SetQueueAttributes");
    assertThat(set.all("SetQueueAttributesResult")).isEmpty();
    Reply two = query("Action", "GetQueueAttributes", "QueueUrl", url,
        "AttributeName.1", "VisibilityTimeout", "AttributeName.2", "ReceiveMessageWaitTimeSeconds");
    assertThat(Reply.pairs(two.all("GetQueueAttributesResult").get(0), "Attribute", "Name"))
        .isEqualTo(Map.of("VisibilityTimeout", "60", "ReceiveMessageWaitTimeSeconds", "1"));

    Reply tags = query("Action", "ListQueueTags", "QueueUrl", url);
    tags.isSuccessOf("ListQueueTags");
    assertThat(Reply.pairs(tags.all("ListQueueTagsResult").get(0), "Tag", "Key"))
        .isEqualTo(Map.of("team", "payments", "env", "dev & test"));
    query("Action", "TagQueue", "QueueUrl", url, "Tag.1.Key", "cost-center", "Tag.1.Value", "42").isSuccessOf("TagQueue");
    query("Action", "UntagQueue", "QueueUrl", url, "TagKey.1", "env", "TagKey.2", "team").isSuccessOf("UntagQueue");
    assertThat(Reply.pairs(query("Action", "ListQueueTags", "QueueUrl", url).all("ListQueueTagsResult").get(0), "Tag", "Key"))
        .isEqualTo(Map.of("cost-center", "42"));

    query("Action", "AddPermission", "QueueUrl", url, "Label", "share", "AWSAccountId.1", "123456789012",
        "ActionName.1", "SendMessage", "ActionName.2", "ReceiveMessage").isSuccessOf("AddPermission");
    String policy = Reply.pairs(query("Action", "GetQueueAttributes", "QueueUrl", url, "AttributeName.1", "Policy")
        .all("GetQueueAttributesResult").get(0), "Attribute", "Name").get("Policy");
    assertThat(policy).contains("\"Sid\":\"share\"", "SQS:SendMessage", "arn:aws:iam::123456789012:root");
    query("Action", "RemovePermission", "QueueUrl", url, "Label", "share").isSuccessOf("RemovePermission");

    query("Action", "DeleteQueue", "QueueUrl", url).isSuccessOf("DeleteQueue");
    query("Action", "GetQueueUrl", "QueueName", "q-orders").isError(400, "AWS.SimpleQueueService.NonExistentQueue", "Sender");
    query("Action", "CreateQueue", "QueueName", "q-orders")
        .isError(400, "AWS.SimpleQueueService.QueueDeletedRecently", "Sender");
  }

  @Test
  void querySendReceiveWithAttributesAndDigestsRoundTripsTheBodyExactly() throws Exception {
    String url = createQueue("q-messages");
    byte[] blob = {0, 1, 2, (byte) 0xFF, '\r', '\n'};
    Map<String, String> p = params("Action", "SendMessage", "QueueUrl", url, "MessageBody", TRICKY_BODY,
        "MessageAttribute.1.Name", "kind", "MessageAttribute.1.Value.DataType", "String",
        "MessageAttribute.1.Value.StringValue", "order\r\nnew é",
        "MessageAttribute.2.Name", "amount", "MessageAttribute.2.Value.DataType", "Number",
        "MessageAttribute.2.Value.StringValue", "-12.50",
        "MessageAttribute.3.Name", "blob", "MessageAttribute.3.Value.DataType", "Binary.gzip",
        "MessageAttribute.3.Value.BinaryValue", Base64.getEncoder().encodeToString(blob),
        "MessageAttribute.4.Name", "custom", "MessageAttribute.4.Value.DataType", "String.uuid",
        "MessageAttribute.4.Value.StringValue", "6f1c",
        "MessageSystemAttribute.1.Name", "AWSTraceHeader", "MessageSystemAttribute.1.Value.DataType", "String",
        "MessageSystemAttribute.1.Value.StringValue", "Root=1-5759e988-bd862e3fe1be46a994272793");
    Reply sent = query(p);
    sent.isSuccessOf("SendMessage");
    SortedMap<String, Attr> attrs = new TreeMap<>(Map.of(
        "kind", Attr.string("String", "order\r\nnew é"),
        "amount", Attr.string("Number", "-12.50"),
        "blob", Attr.binary("Binary.gzip", blob),
        "custom", Attr.string("String.uuid", "6f1c")));
    assertThat(sent.text("MD5OfMessageBody")).isEqualTo(md5Hex(TRICKY_BODY.getBytes(StandardCharsets.UTF_8)));
    assertThat(sent.text("MD5OfMessageAttributes")).isEqualTo(md5OfAttributes(attrs));
    assertThat(sent.text("MD5OfMessageSystemAttributes")).isEqualTo(md5OfAttributes(new TreeMap<>(Map.of(
        "AWSTraceHeader", Attr.string("String", "Root=1-5759e988-bd862e3fe1be46a994272793")))));
    String messageId = sent.text("MessageId");
    // The wire form keeps CR as a character reference, or XML parsers would turn CRLF into LF.
    assertThat(sent.raw()).doesNotContain("\r");

    List<Element> got = receive(url, "AttributeName.1", "All", "MessageAttributeName.1", "All");
    assertThat(got).hasSize(1);
    Element m = got.get(0);
    assertThat(Reply.child(m, "MessageId")).isEqualTo(messageId);
    assertThat(Reply.child(m, "Body")).isEqualTo(TRICKY_BODY);
    assertThat(Reply.child(m, "MD5OfBody")).isEqualTo(md5Hex(TRICKY_BODY.getBytes(StandardCharsets.UTF_8)));
    assertThat(Reply.child(m, "MD5OfMessageAttributes")).isEqualTo(md5OfAttributes(attrs));
    assertThat(Reply.pairs(m, "Attribute", "Name")).containsEntry("ApproximateReceiveCount", "1")
        .containsEntry("SenderId", "000000000000").containsEntry("AWSTraceHeader", "Root=1-5759e988-bd862e3fe1be46a994272793")
        .containsKeys("SentTimestamp", "ApproximateFirstReceiveTimestamp");
    Map<String, Element> values = new TreeMap<>();
    for (Element a : Reply.children(m, "MessageAttribute")) values.put(Reply.child(a, "Name"), Reply.children(a, "Value").get(0));
    assertThat(values).containsOnlyKeys("kind", "amount", "blob", "custom");
    assertThat(Reply.child(values.get("kind"), "StringValue")).isEqualTo("order\r\nnew é");
    assertThat(Reply.child(values.get("kind"), "DataType")).isEqualTo("String");
    assertThat(Reply.child(values.get("amount"), "StringValue")).isEqualTo("-12.50");
    assertThat(Base64.getDecoder().decode(Reply.child(values.get("blob"), "BinaryValue"))).isEqualTo(blob);
    assertThat(Reply.child(values.get("blob"), "DataType")).isEqualTo("Binary.gzip");
    assertThat(Reply.child(values.get("custom"), "DataType")).isEqualTo("String.uuid");

    // Visibility: hide it again, show it, delete it.
    String handle = Reply.child(m, "ReceiptHandle");
    query("Action", "ChangeMessageVisibility", "QueueUrl", url, "ReceiptHandle", handle, "VisibilityTimeout", "0")
        .isSuccessOf("ChangeMessageVisibility");
    List<Element> again = receive(url, "VisibilityTimeout", "120", "AttributeName.1", "ApproximateReceiveCount");
    assertThat(again).hasSize(1);
    assertThat(Reply.pairs(again.get(0), "Attribute", "Name")).isEqualTo(Map.of("ApproximateReceiveCount", "2"));
    assertThat(Reply.children(again.get(0), "MessageAttribute")).isEmpty();
    assertThat(receive(url)).isEmpty();
    query("Action", "DeleteMessage", "QueueUrl", url, "ReceiptHandle", Reply.child(again.get(0), "ReceiptHandle"))
        .isSuccessOf("DeleteMessage");
    assertThat(Reply.pairs(query("Action", "GetQueueAttributes", "QueueUrl", url, "AttributeName.1", "All")
        .all("GetQueueAttributesResult").get(0), "Attribute", "Name"))
        .containsEntry("ApproximateNumberOfMessages", "0").containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
  }

  @Test
  void queryFormEncodingVariantsAndRequestForms() throws Exception {
    String url = createQueue("q-forms");
    // '+' for spaces (HTML form style) decodes like %20.
    Reply plus = query("/", params("Action", "SendMessage", "QueueUrl", url, "MessageBody", "a b+c"), true);
    plus.isSuccessOf("SendMessage");
    // Posted to the queue URL itself, without QueueUrl, as old SDKs do.
    Reply toPath = query("/000000000000/q-forms", params("Action", "SendMessage", "MessageBody", "by path"), false);
    toPath.isSuccessOf("SendMessage");
    // A GET with everything in the query string, unsigned.
    Reply get = send(HttpRequest.newBuilder(server.endpoint().resolve("/?" + form(params("Action", "SendMessage", "Version",
        "2012-11-05", "QueueUrl", url, "MessageBody", "by get ✓"), false))).GET().build());
    get.isSuccessOf("SendMessage");
    List<String> bodies = receive(url).stream().map(e -> Reply.child(e, "Body")).toList();
    assertThat(bodies).containsExactlyInAnyOrder("a b+c", "by path", "by get ✓");
  }

  @Test
  void queryBatchesReportSuccessesAndFailures() throws Exception {
    String url = createQueue("q-batch");
    Reply sent = query(params("Action", "SendMessageBatch", "QueueUrl", url,
        "SendMessageBatchRequestEntry.1.Id", "one", "SendMessageBatchRequestEntry.1.MessageBody", "first\r\n",
        "SendMessageBatchRequestEntry.1.MessageAttribute.1.Name", "n",
        "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType", "Number",
        "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue", "1",
        "SendMessageBatchRequestEntry.2.Id", "two", "SendMessageBatchRequestEntry.2.MessageBody", "second",
        "SendMessageBatchRequestEntry.2.DelaySeconds", "0",
        "SendMessageBatchRequestEntry.3.Id", "bad", "SendMessageBatchRequestEntry.3.MessageBody", "late",
        "SendMessageBatchRequestEntry.3.DelaySeconds", "901"));
    sent.isSuccessOf("SendMessageBatch");
    List<Element> ok = sent.all("SendMessageBatchResultEntry");
    assertThat(ok).extracting(e -> Reply.child(e, "Id")).containsExactly("one", "two");
    assertThat(Reply.child(ok.get(0), "MD5OfMessageBody")).isEqualTo(md5Hex("first\r\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(Reply.child(ok.get(0), "MD5OfMessageAttributes"))
        .isEqualTo(md5OfAttributes(new TreeMap<>(Map.of("n", Attr.string("Number", "1")))));
    List<Element> failed = sent.all("BatchResultErrorEntry");
    assertThat(failed).hasSize(1);
    assertThat(Reply.child(failed.get(0), "Id")).isEqualTo("bad");
    assertThat(Reply.child(failed.get(0), "Code")).isEqualTo("InvalidParameterValue");
    assertThat(Reply.child(failed.get(0), "SenderFault")).isEqualTo("true");

    List<Element> got = receive(url, "VisibilityTimeout", "60");
    assertThat(got).extracting(e -> Reply.child(e, "Body")).containsExactlyInAnyOrder("first\r\n", "second");
    Reply changed = query("Action", "ChangeMessageVisibilityBatch", "QueueUrl", url,
        "ChangeMessageVisibilityBatchRequestEntry.1.Id", "a",
        "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle", Reply.child(got.get(0), "ReceiptHandle"),
        "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout", "90",
        "ChangeMessageVisibilityBatchRequestEntry.2.Id", "b",
        "ChangeMessageVisibilityBatchRequestEntry.2.ReceiptHandle", "garbage",
        "ChangeMessageVisibilityBatchRequestEntry.2.VisibilityTimeout", "90");
    changed.isSuccessOf("ChangeMessageVisibilityBatch");
    assertThat(changed.all("ChangeMessageVisibilityBatchResultEntry")).extracting(e -> Reply.child(e, "Id")).containsExactly("a");
    assertThat(changed.all("BatchResultErrorEntry")).extracting(e -> Reply.child(e, "Code")).containsExactly("ReceiptHandleIsInvalid");

    Reply deleted = query("Action", "DeleteMessageBatch", "QueueUrl", url,
        "DeleteMessageBatchRequestEntry.1.Id", "a", "DeleteMessageBatchRequestEntry.1.ReceiptHandle", Reply.child(got.get(0), "ReceiptHandle"),
        "DeleteMessageBatchRequestEntry.2.Id", "b", "DeleteMessageBatchRequestEntry.2.ReceiptHandle", Reply.child(got.get(1), "ReceiptHandle"),
        "DeleteMessageBatchRequestEntry.3.Id", "c", "DeleteMessageBatchRequestEntry.3.ReceiptHandle", "garbage");
    deleted.isSuccessOf("DeleteMessageBatch");
    assertThat(deleted.all("DeleteMessageBatchResultEntry")).extracting(e -> Reply.child(e, "Id")).containsExactly("a", "b");
    assertThat(deleted.all("BatchResultErrorEntry")).extracting(e -> Reply.child(e, "Id")).containsExactly("c");

    query("Action", "SendMessageBatch", "QueueUrl", url).isError(400, "AWS.SimpleQueueService.EmptyBatchRequest", "Sender");
    query("Action", "SendMessageBatch", "QueueUrl", url,
        "SendMessageBatchRequestEntry.1.Id", "x", "SendMessageBatchRequestEntry.1.MessageBody", "1",
        "SendMessageBatchRequestEntry.2.Id", "x", "SendMessageBatchRequestEntry.2.MessageBody", "2")
        .isError(400, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Sender");
  }

  @Test
  void queryPurgeDeadLetterSourcesAndMoveTask() throws Exception {
    String dlq = createQueue("q-dlq");
    String dlqArn = arn(dlq);
    String src = createQueue("q-src", "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}");
    query("Action", "SendMessage", "QueueUrl", src, "MessageBody", "poison\r\n").isSuccessOf("SendMessage");
    List<Element> first = receive(src);
    assertThat(first).hasSize(1);
    query("Action", "ChangeMessageVisibility", "QueueUrl", src, "ReceiptHandle", Reply.child(first.get(0), "ReceiptHandle"),
        "VisibilityTimeout", "0").isSuccessOf("ChangeMessageVisibility");
    // Received once already: the next receive moves it to the dead-letter queue instead.
    assertThat(receive(src)).isEmpty();
    List<Element> dead = receive(dlq, "AttributeName.1", "All");
    assertThat(dead).extracting(e -> Reply.child(e, "Body")).containsExactly("poison\r\n");
    assertThat(Reply.pairs(dead.get(0), "Attribute", "Name")).containsEntry("DeadLetterQueueSourceArn", arn(src));
    query("Action", "ChangeMessageVisibility", "QueueUrl", dlq, "ReceiptHandle", Reply.child(dead.get(0), "ReceiptHandle"),
        "VisibilityTimeout", "0").isSuccessOf("ChangeMessageVisibility");

    Reply sources = query("Action", "ListDeadLetterSourceQueues", "QueueUrl", dlq);
    sources.isSuccessOf("ListDeadLetterSourceQueues");
    assertThat(sources.all("QueueUrl")).extracting(Element::getTextContent).containsExactly(src);

    Reply started = query("Action", "StartMessageMoveTask", "SourceArn", dlqArn);
    started.isSuccessOf("StartMessageMoveTask");
    assertThat(started.text("TaskHandle")).isNotBlank();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Reply tasks = query("Action", "ListMessageMoveTasks", "SourceArn", dlqArn);
      tasks.isSuccessOf("ListMessageMoveTasks");
      Element task = tasks.all("ListMessageMoveTasksResultEntry").get(0);
      assertThat(Reply.child(task, "Status")).isEqualTo("COMPLETED");
      assertThat(Reply.child(task, "SourceArn")).isEqualTo(dlqArn);
      assertThat(Reply.child(task, "ApproximateNumberOfMessagesMoved")).isEqualTo("1");
      assertThat(Long.parseLong(Reply.child(task, "StartedTimestamp"))).isPositive();
    });
    assertThat(receive(src)).extracting(e -> Reply.child(e, "Body")).containsExactly("poison\r\n");

    query("Action", "SendMessage", "QueueUrl", dlq, "MessageBody", "x").isSuccessOf("SendMessage");
    query("Action", "PurgeQueue", "QueueUrl", dlq).isSuccessOf("PurgeQueue");
    assertThat(receive(dlq)).isEmpty();
    query("Action", "PurgeQueue", "QueueUrl", dlq).isError(403, "AWS.SimpleQueueService.PurgeQueueInProgress", "Sender");
  }

  @Test
  void queryErrors() throws Exception {
    String url = createQueue("q-errors");
    String missing = server.endpoint() + "/000000000000/q-missing";
    query("Action", "SendMessage", "QueueUrl", missing, "MessageBody", "x")
        .isError(400, "AWS.SimpleQueueService.NonExistentQueue", "Sender");
    query("Action", "ReceiveMessage", "QueueUrl", missing).isError(400, "AWS.SimpleQueueService.NonExistentQueue", "Sender");
    query("Action", "GetQueueUrl", "QueueName", "q-missing").isError(400, "AWS.SimpleQueueService.NonExistentQueue", "Sender");
    query("Action", "SendMessage", "QueueUrl", url).isError(400, "MissingParameter", "Sender");
    query("Action", "SendMessage", "QueueUrl", url, "MessageBody", "x", "DelaySeconds", "901")
        .isError(400, "InvalidParameterValue", "Sender");
    query("Action", "SendMessage", "QueueUrl", url, "MessageBody", "x", "DelaySeconds", "soon")
        .isError(400, "InvalidParameterValue", "Sender");
    query("Action", "SendMessage", "QueueUrl", url, "MessageBody", "nul \u0000").isError(400, "InvalidMessageContents", "Sender");
    query("Action", "ReceiveMessage", "QueueUrl", url, "MaxNumberOfMessages", "11").isError(400, "InvalidParameterValue", "Sender");
    query("Action", "ReceiveMessage", "QueueUrl", url, "MaxNumberOfMessages", "99999999999").isError(400, "InvalidParameterValue", "Sender");
    query("Action", "CreateQueue", "QueueName", "bad name").isError(400, "InvalidParameterValue", "Sender");
    query("Action", "CreateQueue", "QueueName", "q-attr", "Attribute.1.Name", "VisibilityTimeout", "Attribute.1.Value", "43201")
        .isError(400, "InvalidAttributeValue", "Sender");
    query("Action", "CreateQueue", "QueueName", "q-attr", "Attribute.1.Name", "Bogus", "Attribute.1.Value", "1")
        .isError(400, "InvalidAttributeName", "Sender");
    query("Action", "CreateQueue", "QueueName", "q-errors", "Attribute.1.Name", "VisibilityTimeout", "Attribute.1.Value", "5")
        .isError(400, "QueueAlreadyExists", "Sender");
    query("Action", "DeleteMessage", "QueueUrl", url, "ReceiptHandle", "garbage").isError(404, "ReceiptHandleIsInvalid", "Sender");
    // A map entry without its key.
    query("Action", "CreateQueue", "QueueName", "q-attr", "Attribute.1.Value", "1").isError(400, "MissingParameter", "Sender");

    query("Action", "FlyToTheMoon").isError(400, "InvalidAction", "Sender");
    Reply noAction = send(HttpRequest.newBuilder(server.endpoint().resolve("/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Version=2012-11-05&QueueName=x")).build());
    noAction.isError(400, "InvalidAction", "Sender");
    Reply malformed = send(HttpRequest.newBuilder(server.endpoint().resolve("/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=SendMessage&Version=2012-11-05&QueueUrl=" + url + "&MessageBody=%ZZ")).build());
    malformed.isError(400, "MalformedQueryString", "Sender");
    // The queue is still there and healthy.
    query("Action", "SendMessage", "QueueUrl", url, "MessageBody", "still fine").isSuccessOf("SendMessage");
    assertThat(receive(url)).extracting(e -> Reply.child(e, "Body")).containsExactly("still fine");
  }

  // ======================================================================================
  // AWS SDK for Java v1
  // ======================================================================================

  @Test
  void v1QueueLifecycleAttributesAndTags() {
    String url = v1.createQueue(new CreateQueueRequest("v1-orders")
        .addAttributesEntry("VisibilityTimeout", "45")
        .addAttributesEntry("MessageRetentionPeriod", "3600")
        .addTagsEntry("team", "payments")).getQueueUrl();
    assertThat(url).isEqualTo(server.endpoint() + "/000000000000/v1-orders");
    assertThat(v1.getQueueUrl("v1-orders").getQueueUrl()).isEqualTo(url);
    String other = v1.createQueue("v1-other").getQueueUrl();
    assertThat(v1.listQueues("v1-").getQueueUrls()).containsExactly(url, other);

    assertThat(v1.getQueueAttributes(url, List.of("All")).getAttributes())
        .containsEntry("VisibilityTimeout", "45").containsEntry("MessageRetentionPeriod", "3600")
        .containsEntry("QueueArn", "arn:aws:sqs:us-east-1:000000000000:v1-orders");
    v1.setQueueAttributes(url, Map.of("DelaySeconds", "2", "VisibilityTimeout", "50"));
    assertThat(v1.getQueueAttributes(url, List.of("DelaySeconds", "VisibilityTimeout")).getAttributes())
        .isEqualTo(Map.of("DelaySeconds", "2", "VisibilityTimeout", "50"));

    assertThat(v1.listQueueTags(url).getTags()).isEqualTo(Map.of("team", "payments"));
    v1.tagQueue(url, Map.of("env", "dev"));
    v1.untagQueue(url, List.of("team"));
    assertThat(v1.listQueueTags(url).getTags()).isEqualTo(Map.of("env", "dev"));

    v1.addPermission(url, "share", List.of("123456789012"), List.of("SendMessage"));
    assertThat(v1.getQueueAttributes(url, List.of("Policy")).getAttributes().get("Policy")).contains("\"Sid\":\"share\"");
    v1.removePermission(url, "share");

    v1.deleteQueue(other);
    assertThat(v1.listQueues().getQueueUrls()).containsExactly(url);
  }

  @Test
  void v1SendReceiveBatchesAndVisibilityWithCheckedDigests() {
    String url = v1.createQueue("v1-messages").getQueueUrl();
    // The v1 client checks MD5OfMessageBody and MD5OfMessageAttributes of sends and receives itself.
    var sent = v1.sendMessage(new SendMessageRequest(url, TRICKY_BODY)
        .addMessageAttributesEntry("kind", new MessageAttributeValue().withDataType("String").withStringValue("order\r\n"))
        .addMessageAttributesEntry("amount", new MessageAttributeValue().withDataType("Number.float").withStringValue("1.5e3"))
        .addMessageAttributesEntry("blob", new MessageAttributeValue().withDataType("Binary")
            .withBinaryValue(ByteBuffer.wrap(new byte[] {9, 8, 7}))));
    assertThat(sent.getMessageId()).isNotBlank();
    assertThat(sent.getMD5OfMessageAttributes()).isNotBlank();

    var batch = v1.sendMessageBatch(url, List.of(
        new SendMessageBatchRequestEntry("b1", "batch one").addMessageAttributesEntry("n",
            new MessageAttributeValue().withDataType("Number").withStringValue("1")),
        new SendMessageBatchRequestEntry("b2", "batch two ✓"),
        new SendMessageBatchRequestEntry("bad", "x").withDelaySeconds(901)));
    assertThat(batch.getSuccessful()).extracting(e -> e.getId()).containsExactly("b1", "b2");
    assertThat(batch.getFailed()).singleElement().satisfies(f -> {
      assertThat(f.getId()).isEqualTo("bad");
      assertThat(f.getCode()).isEqualTo("InvalidParameterValue");
      assertThat(f.isSenderFault()).isTrue();
    });

    List<Message> got = v1.receiveMessage(new ReceiveMessageRequest(url).withMaxNumberOfMessages(10)
        .withAttributeNames("All").withMessageAttributeNames("All").withVisibilityTimeout(60)).getMessages();
    assertThat(got).extracting(Message::getBody).containsExactlyInAnyOrder(TRICKY_BODY, "batch one", "batch two ✓");
    Message tricky = got.stream().filter(m -> m.getBody().equals(TRICKY_BODY)).findFirst().orElseThrow();
    assertThat(tricky.getMessageId()).isEqualTo(sent.getMessageId());
    assertThat(tricky.getMessageAttributes().get("kind").getStringValue()).isEqualTo("order\r\n");
    assertThat(tricky.getMessageAttributes().get("amount").getDataType()).isEqualTo("Number.float");
    assertThat(tricky.getMessageAttributes().get("blob").getBinaryValue()).isEqualTo(ByteBuffer.wrap(new byte[] {9, 8, 7}));
    assertThat(tricky.getAttributes()).containsEntry("ApproximateReceiveCount", "1").containsKey("SentTimestamp");

    v1.changeMessageVisibility(url, tricky.getReceiptHandle(), 0);
    List<Message> others = got.stream().filter(m -> m != tricky).toList();
    var changed = v1.changeMessageVisibilityBatch(url, List.of(
        new ChangeMessageVisibilityBatchRequestEntry("c1", others.get(0).getReceiptHandle()).withVisibilityTimeout(120),
        new ChangeMessageVisibilityBatchRequestEntry("c2", "garbage").withVisibilityTimeout(120)));
    assertThat(changed.getSuccessful()).extracting(e -> e.getId()).containsExactly("c1");
    assertThat(changed.getFailed()).extracting(e -> e.getCode()).containsExactly("ReceiptHandleIsInvalid");

    var deleted = v1.deleteMessageBatch(url, List.of(
        new DeleteMessageBatchRequestEntry("d1", others.get(0).getReceiptHandle()),
        new DeleteMessageBatchRequestEntry("d2", others.get(1).getReceiptHandle())));
    assertThat(deleted.getSuccessful()).hasSize(2);
    assertThat(deleted.getFailed()).isEmpty();

    List<Message> redelivered = v1.receiveMessage(new ReceiveMessageRequest(url).withMaxNumberOfMessages(10)
        .withMessageAttributeNames("All").withAttributeNames("ApproximateReceiveCount")).getMessages();
    assertThat(redelivered).extracting(Message::getBody).containsExactly(TRICKY_BODY);
    assertThat(redelivered.get(0).getAttributes()).containsEntry("ApproximateReceiveCount", "2");
    v1.purgeQueue(new com.amazonaws.services.sqs.model.PurgeQueueRequest(url));
    assertThat(v1.getQueueAttributes(url, List.of("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
        .getAttributes()).isEqualTo(Map.of("ApproximateNumberOfMessages", "0", "ApproximateNumberOfMessagesNotVisible", "0"));
  }

  @Test
  void v1DeadLetterSourcesAndMoveTask() {
    String dlq = v1.createQueue("v1-dlq").getQueueUrl();
    String dlqArn = v1.getQueueAttributes(dlq, List.of("QueueArn")).getAttributes().get("QueueArn");
    String src = v1.createQueue(new CreateQueueRequest("v1-src").addAttributesEntry("RedrivePolicy",
        "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":1}")).getQueueUrl();
    assertThat(v1.listDeadLetterSourceQueues(new com.amazonaws.services.sqs.model.ListDeadLetterSourceQueuesRequest(dlq))
        .getQueueUrls()).containsExactly(src);

    v1.sendMessage(src, "to the dlq and back");
    List<Message> first = v1.receiveMessage(src).getMessages();
    assertThat(first).hasSize(1);
    v1.changeMessageVisibility(src, first.get(0).getReceiptHandle(), 0);
    assertThat(v1.receiveMessage(src).getMessages()).isEmpty();
    assertThat(v1.getQueueAttributes(dlq, List.of("ApproximateNumberOfMessages")).getAttributes())
        .containsEntry("ApproximateNumberOfMessages", "1");

    String handle = v1.startMessageMoveTask(new StartMessageMoveTaskRequest().withSourceArn(dlqArn)).getTaskHandle();
    assertThat(handle).isNotBlank();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<ListMessageMoveTasksResultEntry> tasks = v1.listMessageMoveTasks(new ListMessageMoveTasksRequest().withSourceArn(dlqArn))
          .getResults();
      assertThat(tasks).singleElement().satisfies(t -> {
        assertThat(t.getStatus()).isEqualTo("COMPLETED");
        assertThat(t.getApproximateNumberOfMessagesMoved()).isEqualTo(1L);
      });
    });
    assertThat(v1.receiveMessage(src).getMessages()).extracting(Message::getBody).containsExactly("to the dlq and back");
  }

  @Test
  void v1Errors() {
    String url = v1.createQueue("v1-errors").getQueueUrl();
    String missing = server.endpoint() + "/000000000000/v1-missing";

    QueueDoesNotExistException notThere = catchThrowableOfType(QueueDoesNotExistException.class,
        () -> v1.sendMessage(missing, "x"));
    assertThat(notThere.getErrorCode()).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
    assertThat(notThere.getStatusCode()).isEqualTo(400);
    assertThat(notThere.getErrorType()).isEqualTo(com.amazonaws.AmazonServiceException.ErrorType.Client);
    assertThat(notThere.getRequestId()).isNotBlank();
    assertThat(catchThrowableOfType(QueueDoesNotExistException.class, () -> v1.getQueueUrl("v1-missing")).getErrorCode())
        .isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
    assertThat(catchThrowableOfType(QueueDoesNotExistException.class, () -> v1.receiveMessage(missing)).getErrorCode())
        .isEqualTo("AWS.SimpleQueueService.NonExistentQueue");

    AmazonSQSException tooLate = catchThrowableOfType(AmazonSQSException.class,
        () -> v1.sendMessage(new SendMessageRequest(url, "x").withDelaySeconds(901)));
    assertThat(tooLate.getErrorCode()).isEqualTo("InvalidParameterValue");
    assertThat(tooLate.getStatusCode()).isEqualTo(400);
    AmazonSQSException tooMany = catchThrowableOfType(AmazonSQSException.class,
        () -> v1.receiveMessage(new ReceiveMessageRequest(url).withMaxNumberOfMessages(11)));
    assertThat(tooMany.getErrorCode()).isEqualTo("InvalidParameterValue");
    AmazonSQSException badName = catchThrowableOfType(AmazonSQSException.class, () -> v1.createQueue("bad name"));
    assertThat(badName.getErrorCode()).isEqualTo("InvalidParameterValue");
    var badAttribute = catchThrowableOfType(com.amazonaws.services.sqs.model.InvalidAttributeNameException.class,
        () -> v1.setQueueAttributes(url, Map.of("Bogus", "1")));
    assertThat(badAttribute.getErrorCode()).isEqualTo("InvalidAttributeName");
    ReceiptHandleIsInvalidException badHandle = catchThrowableOfType(ReceiptHandleIsInvalidException.class,
        () -> v1.deleteMessage(url, "garbage"));
    assertThat(badHandle.getErrorCode()).isEqualTo("ReceiptHandleIsInvalid");
    assertThat(badHandle.getStatusCode()).isEqualTo(404);
    var empty = catchThrowableOfType(com.amazonaws.services.sqs.model.EmptyBatchRequestException.class,
        () -> v1.sendMessageBatch(url, List.of()));
    assertThat(empty.getErrorCode()).isEqualTo("AWS.SimpleQueueService.EmptyBatchRequest");
    var contents = catchThrowableOfType(com.amazonaws.services.sqs.model.InvalidMessageContentsException.class,
        () -> v1.sendMessage(url, "\uFFFF"));
    assertThat(contents.getErrorCode()).isEqualTo("InvalidMessageContents");
    var purgeTwice = catchThrowableOfType(com.amazonaws.services.sqs.model.PurgeQueueInProgressException.class, () -> {
      v1.purgeQueue(new com.amazonaws.services.sqs.model.PurgeQueueRequest(url));
      v1.purgeQueue(new com.amazonaws.services.sqs.model.PurgeQueueRequest(url));
    });
    assertThat(purgeTwice.getErrorCode()).isEqualTo("AWS.SimpleQueueService.PurgeQueueInProgress");
  }
}
