package io.eventplane.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The console's topic, bucket and function pages over plain HTTP: lists paged by the services'
 * tokens, a topic's subscriptions with filter and redrive policies and its publish form (the message
 * received by the SDK), a bucket browsed by folder with upload, download, delete and versions, a
 * function's configuration, invoke form, logs, async settings and mappings; and their bad requests.
 */
class ConsoleResourcePagesHttpTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private final ConsolePages pages = new ConsolePages(server.endpoint());

  private static String form(String... pairs) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      if (b.length() > 0) b.append('&');
      b.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  private String queueArn(String url) {
    return QueueReads.queueArn(server.sqs(), url);
  }

  private List<Message> receive(String url, int atLeast) {
    return QueueReads.receive(server.sqs(), url, atLeast);
  }

  private JsonObject s3Record(String url) {
    return QueueReads.s3Record(server.sqs(), url);
  }

  /** Follows every "Next page" link from {@code path}; the names {@code item} captures on each page. */
  private List<List<String>> pagesOf(String path, Pattern item) {
    List<List<String>> all = new ArrayList<>();
    while (path != null) {
      HttpResponse<String> page = pages.get(path);
      assertThat(page.statusCode()).as(path).isEqualTo(200);
      Matcher names = item.matcher(page.body());
      List<String> onPage = new ArrayList<>();
      while (names.find()) onPage.add(names.group(1));
      all.add(onPage);
      Matcher next = Pattern.compile("rel=\"next\" href=\"([^\"]+)\"").matcher(page.body());
      path = next.find() ? next.group(1).replace("&amp;", "&") : null;
    }
    return all;
  }

  @Test
  void topicsArePagedAndATopicShowsItsSubscriptionsAndPublishes() {
    for (int i = 0; i < 105; i++) {
      String name = String.format("tp-%03d", i);
      server.sns().createTopic(b -> b.name(name));
    }
    List<List<String>> listed = pagesOf(ConsolePages.PREFIX + "topics", Pattern.compile("topics/(tp-\\d{3})\">"));
    assertThat(listed).hasSize(2);
    assertThat(listed.get(0)).hasSize(100);
    assertThat(listed.stream().flatMap(List::stream).toList()).hasSize(105).doesNotHaveDuplicates();

    String topic = server.sns().createTopic(b -> b.name("orders")).topicArn();
    String queue = server.sqs().createQueue(b -> b.queueName("big-orders")).queueUrl();
    String dlq = server.sqs().createQueue(b -> b.queueName("orders-dlq")).queueUrl();
    server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(queue)).attributes(Map.of(
        "FilterPolicy", "{\"size\":[\"big\"]}", "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + queueArn(dlq) + "\"}",
        "RawMessageDelivery", "true")));
    HttpResponse<String> page = pages.get(ConsolePages.PREFIX + "topics/orders");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<h1>Topic orders</h1>").contains("queues/big-orders\">big-orders</a>")
        .contains("&quot;size&quot;").contains("&quot;big&quot;").contains("on the message attributes")
        .contains("queues/orders-dlq\">orders-dlq</a>").contains(topic).contains("SubscriptionsConfirmed");

    // The filter lets through only what carries size=big: the form's attributes reach SNS.
    HttpResponse<String> small = pages.post(ConsolePages.PREFIX + "topics/orders/publish", form("message", "small one",
        "subject", "", "attr-name-0", "size", "attr-type-0", "String", "attr-value-0", "small"));
    assertThat(small.statusCode()).isEqualTo(303);
    HttpResponse<String> big = pages.post(ConsolePages.PREFIX + "topics/orders/publish", form("message", "<b>big</b> one",
        "subject", "Hello", "attr-name-0", "size", "attr-type-0", "String", "attr-value-0", "big",
        "attr-name-1", "count", "attr-type-1", "Number", "attr-value-1", "3"));
    assertThat(big.statusCode()).isEqualTo(303);
    String location = big.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(ConsolePages.PREFIX + "topics/orders?published=");
    List<Message> got = receive(queue, 1);
    assertThat(got).singleElement().satisfies(m -> {
      assertThat(m.body()).isEqualTo("<b>big</b> one");
      assertThat(m.messageAttributes().get("size").stringValue()).isEqualTo("big");
      assertThat(m.messageAttributes().get("count").dataType()).isEqualTo("Number");
    });
    assertThat(pages.get(location).body()).contains("Published message ");

    // SNS's refusals are shown on the page: a bad attribute type, a FIFO-only member.
    HttpResponse<String> refused = pages.post(ConsolePages.PREFIX + "topics/orders/publish",
        form("message", "x", "attr-name-0", "n", "attr-type-0", "Number", "attr-value-0", "not a number"));
    assertThat(pages.get(refused.headers().firstValue("Location").orElseThrow()).body()).contains("role=\"alert\"")
        .contains("ParameterValueInvalid");
    HttpResponse<String> empty = pages.post(ConsolePages.PREFIX + "topics/orders/publish", form("message", ""));
    assertThat(pages.get(empty.headers().firstValue("Location").orElseThrow()).body()).contains("role=\"alert\"");
    assertThat(pages.get(ConsolePages.PREFIX + "topics/no-such-topic").statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "topics/bad%20name").statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "topics/orders/publish").statusCode()).isEqualTo(405);
    assertThat(pages.post(ConsolePages.PREFIX + "topics", "x=1").statusCode()).isEqualTo(405);
    HttpResponse<String> noTopic = pages.post(ConsolePages.PREFIX + "topics/gone/publish", form("message", "x"));
    assertThat(pages.get(noTopic.headers().firstValue("Location").orElseThrow()).body()).contains("NotFound");
  }

  /** The upload form as a browser sends it: the folder, then the file. */
  private HttpResponse<String> upload(String bucket, String prefix, String filename, byte[] content) {
    return pages.multipart(ConsolePages.PREFIX + "buckets/" + bucket + "/upload", Map.of("prefix", prefix), filename, content);
  }

  @Test
  void aBucketIsBrowsedByFolderWithUploadDownloadDeleteAndVersions() {
    var s3 = server.s3();
    s3.createBucket(b -> b.bucket("docs"));
    for (int i = 0; i < 105; i++) {
      String key = String.format("many/%03d.txt", i);
      s3.putObject(b -> b.bucket("docs").key(key), RequestBody.fromString("x"));
    }
    s3.putObject(b -> b.bucket("docs").key("top.txt"), RequestBody.fromString("top"));
    s3.putObject(b -> b.bucket("docs").key("a/b/deep.txt"), RequestBody.fromString("deep"));
    String queue = server.sqs().createQueue(b -> b.queueName("uploads")).queueUrl();
    s3.putBucketNotificationConfiguration(b -> b.bucket("docs").notificationConfiguration(n -> n.queueConfigurations(q -> q
        .id("to-uploads").queueArn(queueArn(queue)).events(Event.S3_OBJECT_CREATED).filter(f -> f.key(k -> k.filterRules(
            r -> r.name("prefix").value("in/")))))));

    HttpResponse<String> root = pages.get(ConsolePages.PREFIX + "buckets/docs");
    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(root.body()).contains("<h1>Bucket docs</h1>").contains("buckets/docs?prefix=many%2F\">many/</a>")
        .contains("buckets/docs?prefix=a%2F\">a/</a>").contains(">top.txt</th>").doesNotContain("deep.txt")
        .contains("to-uploads").contains(queueArn(queue)).contains("s3:ObjectCreated:*").contains("Prefix <code>in/</code>")
        .doesNotContain("id=\"versions\"");
    List<List<String>> many = pagesOf(ConsolePages.PREFIX + "buckets/docs?prefix=many%2F",
        Pattern.compile(">(\\d{3}\\.txt)</th>"));
    assertThat(many).hasSize(2);
    assertThat(many.get(0)).hasSize(100);
    assertThat(many.stream().flatMap(List::stream).toList()).hasSize(105).doesNotHaveDuplicates().isSorted();
    assertThat(pages.get(ConsolePages.PREFIX + "buckets/docs?prefix=a%2Fb%2F").body()).contains(">deep.txt</th>")
        .contains("buckets/docs?prefix=a%2F\">a</a>");

    // Upload: PutObject as a PUT would, so the queue hears of it.
    HttpResponse<String> uploaded = upload("docs", "in/", "note 1.txt", "hello from the console".getBytes(StandardCharsets.UTF_8));
    assertThat(uploaded.statusCode()).isEqualTo(303);
    assertThat(uploaded.headers().firstValue("Location").orElseThrow()).contains("uploaded=");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("docs").key("in/note 1.txt")).asUtf8String()).isEqualTo("hello from the console");
    JsonObject record = s3Record(queue);
    assertThat(record.getString("eventName")).isEqualTo("ObjectCreated:Put");
    assertThat(record.getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("in/note+1.txt");

    // Download: the bytes, as an attachment named after the key's last part.
    HttpResponse<String> download = pages.get(ConsolePages.PREFIX + "buckets/docs/object?key=in%2Fnote%201.txt");
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo("hello from the console");
    assertThat(download.headers().firstValue("Content-Disposition")).hasValue(
        "attachment; filename=\"note 1.txt\"; filename*=UTF-8''note%201.txt");
    s3.putObject(b -> b.bucket("docs").key("q/say \"hi\" \u00e9.txt"), RequestBody.fromString("quoted"));
    HttpResponse<String> quoted = pages.get(ConsolePages.PREFIX + "buckets/docs/object?key="
        + URLEncoder.encode("q/say \"hi\" \u00e9.txt", StandardCharsets.UTF_8));
    assertThat(quoted.body()).isEqualTo("quoted");
    assertThat(quoted.headers().firstValue("Content-Disposition")).hasValue(
        "attachment; filename=\"say _hi_ _.txt\"; filename*=UTF-8''say%20%22hi%22%20%C3%A9.txt");
    assertThat(download.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(pages.get(ConsolePages.PREFIX + "buckets/docs/object?key=nothing").statusCode()).isEqualTo(404);

    // Delete asks first; only a confirmed form deletes.
    HttpResponse<String> ask = pages.get(ConsolePages.PREFIX + "buckets/docs/delete?key=top.txt");
    assertThat(ask.statusCode()).isEqualTo(200);
    assertThat(ask.body()).contains("name=\"confirm\" value=\"top.txt\"");
    HttpResponse<String> unconfirmed = pages.post(ConsolePages.PREFIX + "buckets/docs/delete", form("key", "top.txt"));
    assertThat(unconfirmed.headers().firstValue("Location").orElseThrow()).contains("failed=");
    assertThat(s3.listObjectsV2(b -> b.bucket("docs").prefix("top")).keyCount()).isEqualTo(1);
    HttpResponse<String> deleted = pages.post(ConsolePages.PREFIX + "buckets/docs/delete", form("key", "top.txt", "confirm", "top.txt"));
    assertThat(deleted.statusCode()).isEqualTo(303);
    assertThat(deleted.headers().firstValue("Location").orElseThrow()).contains("deleted=top.txt");
    assertThat(s3.listObjectsV2(b -> b.bucket("docs").prefix("top")).keyCount()).isZero();

    // Versions, once the bucket is versioned: each version downloads by its id.
    s3.putBucketVersioning(b -> b.bucket("docs").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    String v1 = s3.putObject(b -> b.bucket("docs").key("v.txt"), RequestBody.fromString("one")).versionId();
    s3.putObject(b -> b.bucket("docs").key("v.txt"), RequestBody.fromString("two"));
    HttpResponse<String> versioned = pages.get(ConsolePages.PREFIX + "buckets/docs");
    assertThat(versioned.body()).contains("id=\"versioning\">Enabled<").contains("id=\"versions\"").contains(v1);
    assertThat(pages.get(ConsolePages.PREFIX + "buckets/docs/object?key=v.txt&version=" + v1).body()).isEqualTo("one");
    assertThat(pages.get(ConsolePages.PREFIX + "buckets/docs/object?key=v.txt").body()).isEqualTo("two");

    // Bad requests: pages, never failures.
    assertThat(pages.get(ConsolePages.PREFIX + "buckets/no-such-bucket").statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "buckets/Bad_Bucket").statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "buckets/docs/object").statusCode()).isEqualTo(400);
    assertThat(pages.post(ConsolePages.PREFIX + "buckets/docs/upload", "prefix=x").statusCode()).isEqualTo(400);
    assertThat(upload("no-such-bucket", "", "x.txt", new byte[10]).statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "buckets/docs/upload").statusCode()).isEqualTo(405);
    HttpResponse<String> noFile = upload("docs", "", "", new byte[0]);
    assertThat(noFile.statusCode()).isEqualTo(303);
    assertThat(noFile.headers().firstValue("Location").orElseThrow()).contains("failed=");
  }

  @Test
  void uploadsAndDownloadsReachEveryBucketsNode() {
    // Clustered, a bucket's bodies live on its owner node: six buckets spread over three nodes, so
    // some uploads and downloads are forwarded from the node the console runs on.
    for (int i = 0; i < 6; i++) {
      String bucket = "spread-" + i;
      server.s3().createBucket(b -> b.bucket(bucket));
      byte[] body = ("body of " + bucket).getBytes(StandardCharsets.UTF_8);
      HttpResponse<String> uploaded = upload(bucket, "f/", "x.txt", body);
      assertThat(uploaded.statusCode()).as(bucket).isEqualTo(303);
      assertThat(uploaded.headers().firstValue("Location").orElseThrow()).as(bucket).contains("uploaded=f%2Fx.txt");
      assertThat(server.s3().getObjectAsBytes(b -> b.bucket(bucket).key("f/x.txt")).asUtf8String()).isEqualTo("body of " + bucket);
      HttpResponse<String> download = pages.get(ConsolePages.PREFIX + "buckets/" + bucket + "/object?key=f%2Fx.txt");
      assertThat(download.statusCode()).as(bucket).isEqualTo(200);
      assertThat(download.body()).isEqualTo("body of " + bucket);
    }
  }

  @Test
  void aFunctionPageInvokesAndShowsLogsAsyncSettingsAndMappings() {
    for (int i = 0; i < 3; i++) Functions.create(server.lambda(), "fn-" + i, Functions.DIAGNOSTICS);
    HttpResponse<String> list = pages.get(ConsolePages.PREFIX + "functions");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("functions/fn-0\">fn-0</a>").contains("functions/fn-2\">fn-2</a>").contains("java17");

    String queue = server.sqs().createQueue(b -> b.queueName("fn-events")).queueUrl();
    server.lambda().createEventSourceMapping(b -> b.functionName("fn-0").eventSourceArn(queueArn(queue)).batchSize(5).enabled(false));
    server.lambda().putFunctionEventInvokeConfig(b -> b.functionName("fn-0").maximumRetryAttempts(1));
    HttpResponse<String> page = pages.get(ConsolePages.PREFIX + "functions/fn-0");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<h1>Function fn-0</h1>").contains(Functions.DIAGNOSTICS).contains("id=\"logs-none\"")
        .contains("id=\"mappings\"").contains(queueArn(queue)).contains("id=\"event-invoke-config\"")
        .contains("MaximumRetryAttempts");

    HttpResponse<String> invoked = pages.post(ConsolePages.PREFIX + "functions/fn-0/invoke", form("payload", "{\"log\":\"from the <console>\"}"));
    assertThat(invoked.statusCode()).isEqualTo(200);
    assertThat(invoked.body()).contains("id=\"invoke-status\">200<").contains("&quot;functionName&quot; : &quot;fn-0&quot;")
        .contains("id=\"invoke-log\"").contains("from the &lt;console&gt;").doesNotContain("id=\"invoke-error\"");
    // The invocation's logs reach the function's log group: the page's tail shows them.
    await().atMost(Duration.ofSeconds(20)).until(() -> pages.get(ConsolePages.PREFIX + "functions/fn-0").body()
        .contains("from the &lt;console&gt;"));

    HttpResponse<String> failed = pages.post(ConsolePages.PREFIX + "functions/fn-0/invoke", form("payload", "{\"fail\":\"on purpose\"}"));
    assertThat(failed.body()).contains("id=\"invoke-error\"").contains("Unhandled").contains("on purpose");
    HttpResponse<String> notJson = pages.post(ConsolePages.PREFIX + "functions/fn-0/invoke", form("payload", "{not json"));
    assertThat(notJson.statusCode()).isEqualTo(200);
    assertThat(notJson.body()).contains("id=\"invoke-error\"").contains("InvalidRequestContentException");

    // The asynchronous queue: events a function cannot run (concurrency 0) wait there and age by the clock.
    assertThat(pages.get(ConsolePages.PREFIX + "functions/fn-0").body()).contains("id=\"async-queue\">0</strong>");
    Functions.create(server.lambda(), "fn-queued", Functions.DIAGNOSTICS);
    server.lambda().putFunctionConcurrency(b -> b.functionName("fn-queued").reservedConcurrentExecutions(0));
    for (int i = 0; i < 2; i++) {
      server.lambda().invoke(b -> b.functionName("fn-queued").invocationType(InvocationType.EVENT)
          .payload(SdkBytes.fromUtf8String("{}")));
    }
    server.advance(Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(20)).until(() -> pages.get(ConsolePages.PREFIX + "functions/fn-queued").body()
        .contains("id=\"async-queue\">2</strong> events waiting or running, the oldest queued 30 s ago"));
    server.lambda().deleteFunction(b -> b.functionName("fn-queued"));

    assertThat(pages.get(ConsolePages.PREFIX + "functions/no-such-fn").statusCode()).isEqualTo(404);
    assertThat(pages.post(ConsolePages.PREFIX + "functions/no-such-fn/invoke", form("payload", "{}")).statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "functions/fn-0/invoke").statusCode()).isEqualTo(405);
    assertThat(pages.get(ConsolePages.PREFIX + "functions/bad.name").statusCode()).isEqualTo(404);
    // The overview links to the three lists.
    assertThat(pages.get(ConsolePages.PREFIX).body()).contains("href=\"/_eventplane/console/topics\"")
        .contains("href=\"/_eventplane/console/buckets\"").contains("href=\"/_eventplane/console/functions\"");
  }
}
