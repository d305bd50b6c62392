package io.eventplane.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.ReplayState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;

/**
 * The buses, rules, archives, replays, streams and audit trail pages over plain HTTP: what each
 * shows against what the SDK made, paging by the services' tokens, the pattern test's match and no
 * match, a replay started from its archive's form and followed to COMPLETED, refusals shown, and
 * bad paths and methods.
 */
class ConsoleEventsStreamsHttpTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  /** Replays' pause between pages of events (EventBridge's {@code Replays.PAUSE_PROPERTY}). */
  private static final String PAUSE = "eventplane.events.replayPagePauseMillis";

  private final ConsolePages pages = new ConsolePages(server.endpoint());

  private EventBridgeClient events() {
    return server.eventBridge();
  }

  private static String form(String... pairs) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      if (b.length() > 0) b.append('&');
      b.append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  private static String nextLink(String body) {
    Matcher m = Pattern.compile("<a rel=\"next\" href=\"([^\"]+)\">").matcher(body);
    return m.find() ? m.group(1).replace("&amp;", "&") : null;
  }

  @Test
  void busesRulesAndTargetsArePagedAndTheRuleTestsEvents() {
    String queueArn = "arn:aws:sqs:us-east-1:000000000000:rule-dlq";
    events().createEventBus(b -> b.name("orders-bus").description("Orders <b>"));
    for (int i = 0; i < 55; i++) {
      String name = String.format("rule-%02d", i);
      events().putRule(b -> b.name(name).eventBusName("orders-bus").eventPattern("{\"source\":[\"shop\"],\"detail\":{\"n\":[" + 1 + "]}}"));
    }
    events().putTargets(b -> b.rule("rule-00").eventBusName("orders-bus").targets(Target.builder().id("to-queue")
        .arn("arn:aws:sqs:us-east-1:000000000000:orders").retryPolicy(r -> r.maximumRetryAttempts(4).maximumEventAgeInSeconds(600))
        .deadLetterConfig(d -> d.arn(queueArn)).build()));

    HttpResponse<String> list = pages.get(ConsolePages.PREFIX + "buses");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("<h1>Event buses</h1>").contains(">default</a>").contains(">orders-bus</a>")
        .contains("Orders &lt;b&gt;").doesNotContain("Orders <b>");
    assertThat(pages.get(ConsolePages.PREFIX).body()).contains("href=\"/_eventplane/console/buses\"")
        .contains("href=\"/_eventplane/console/streams\"");

    // The bus's rules, 50 a page, by ListRules's NextToken.
    HttpResponse<String> bus = pages.get(ConsolePages.PREFIX + "buses/orders-bus");
    assertThat(bus.statusCode()).isEqualTo(200);
    assertThat(bus.body()).contains("Rules, 50 on this page").contains(">rule-00</a>").doesNotContain(">rule-54</a>")
        .contains("No archives of this bus.");
    String next = nextLink(bus.body());
    assertThat(next).isNotNull();
    HttpResponse<String> second = pages.get(next);
    assertThat(second.body()).contains("Rules, 5 on this page").contains(">rule-54</a>").doesNotContain(">rule-00</a>")
        .contains("First page");
    assertThat(nextLink(second.body())).isNull();

    HttpResponse<String> rule = pages.get(ConsolePages.PREFIX + "buses/orders-bus/rules/rule-00");
    assertThat(rule.statusCode()).isEqualTo(200);
    // The pattern indented, its quotes escaped.
    assertThat(rule.body()).contains("<h1>Rule rule-00</h1>").contains("&quot;source&quot; : [ &quot;shop&quot; ]")
        .contains("to-queue").contains("at most 4 retries, events up to 600 s old").contains(queueArn);

    String matching = "{\"id\":\"1\",\"account\":\"000000000000\",\"source\":\"shop\",\"time\":\"2026-01-01T00:00:00Z\","
        + "\"region\":\"us-east-1\",\"resources\":[],\"detail-type\":\"t\",\"detail\":{\"n\":1}}";
    String test = ConsolePages.PREFIX + "buses/orders-bus/rules/rule-00/test";
    HttpResponse<String> match = pages.post(test, form("event", matching));
    assertThat(match.statusCode()).isEqualTo(200);
    assertThat(match.body()).contains("<h1>Rule rule-00</h1>").contains("id=\"test-result\"").contains("<strong>Match</strong>");
    HttpResponse<String> noMatch = pages.post(test, form("event", matching.replace("\"shop\"", "\"other\"")), "HX-Request", "true");
    assertThat(noMatch.body()).startsWith("<p id=\"test-result\"").contains("<strong>No match</strong>").doesNotContain("<h1>");
    HttpResponse<String> invalid = pages.post(test, form("event", "{\"source\":\"shop\"}"), "HX-Request", "true");
    assertThat(invalid.statusCode()).isEqualTo(200);
    assertThat(invalid.body()).contains("role=\"alert\"").contains("ValidationException: Parameter Event is not valid.");

    assertThat(pages.get(ConsolePages.PREFIX + "buses/no-such-bus").statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "buses/orders-bus/rules/no-such-rule").statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "buses/orders-bus/rules/rule-00/test").statusCode()).isEqualTo(405);
    assertThat(pages.post(ConsolePages.PREFIX + "buses/orders-bus", "").statusCode()).isEqualTo(405);
    assertThat(pages.get(ConsolePages.PREFIX + "buses/bad%20name").statusCode()).isEqualTo(404);
    assertThat(pages.post(test, "event=x", "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403);
  }

  @Test
  void aReplayStartedFromItsArchivePageRunsToCompletion() {
    String busArn = events().createEventBus(b -> b.name("replay-bus")).eventBusArn();
    events().createArchive(b -> b.archiveName("replay-archive").eventSourceArn(busArn));
    List<PutEventsRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Instant time = T0.plusSeconds(i);
      entries.add(PutEventsRequestEntry.builder().eventBusName("replay-bus").source("shop").detailType("t").time(time)
          .detail("{\"n\":" + i + "}").build());
    }
    events().putEvents(b -> b.entries(entries));
    await().atMost(Duration.ofSeconds(10)).until(() -> pages.get(ConsolePages.PREFIX + "buses/replay-bus").body()
        .contains("class=\"event-count\">10<"));

    HttpResponse<String> archive = pages.get(ConsolePages.PREFIX + "archives/replay-archive");
    assertThat(archive.statusCode()).isEqualTo(200);
    assertThat(archive.body()).contains("<h1>Archive replay-archive</h1>").contains("No replays of this archive.")
        .contains("id=\"replay-start\"");

    // A window whose end is before its start: EventBridge's refusal, shown on the archive's page.
    HttpResponse<String> refused = pages.post(ConsolePages.PREFIX + "archives/replay-archive/replay",
        form("name", "backwards", "start", "2026-01-01T00:01:00", "end", "2026-01-01T00:00:00"));
    assertThat(refused.statusCode()).isEqualTo(303);
    String refusedAt = refused.headers().firstValue("Location").orElseThrow();
    assertThat(pages.get(refusedAt).body()).contains("role=\"alert\"").contains("EventStartTime must be before EventEndTime");
    HttpResponse<String> noTimes = pages.post(ConsolePages.PREFIX + "archives/replay-archive/replay", form("name", "x", "start", ""));
    assertThat(pages.get(noTimes.headers().firstValue("Location").orElseThrow()).body()).contains("Give the window");

    HttpResponse<String> started = pages.post(ConsolePages.PREFIX + "archives/replay-archive/replay",
        form("name", "from-console", "start", "2026-01-01T00:00:00", "end", "2026-01-01T00:00:20"));
    assertThat(started.statusCode()).isEqualTo(303);
    assertThat(started.headers().firstValue("Location")).hasValue(ConsolePages.PREFIX + "replays/from-console");
    await().atMost(Duration.ofSeconds(20)).until(() -> events().describeReplay(b -> b.replayName("from-console")).state()
        == ReplayState.COMPLETED);
    HttpResponse<String> replay = pages.get(ConsolePages.PREFIX + "replays/from-console");
    assertThat(replay.body()).contains("<h1>Replay from-console</h1>").contains("id=\"replay-state\">COMPLETED<")
        .contains("value=\"1000\"").contains("2026-01-01T00:00:09Z").doesNotContain("sse-connect");
    // An ended replay has no stream to follow: 204 stops the browser's EventSource.
    assertThat(pages.get(ConsolePages.PREFIX + "replays/from-console/live").statusCode()).isEqualTo(204);
    assertThat(pages.get(ConsolePages.PREFIX + "archives/replay-archive").body()).contains(">from-console</a>");
    assertThat(events().describeReplay(b -> b.replayName("from-console")).destination().arn()).isEqualTo(busArn);
    // A finished replay has no cancel button; a cancel posted anyway shows EventBridge's refusal on the page.
    assertThat(replay.body()).doesNotContain("id=\"cancel-replay\"");
    HttpResponse<String> tooLate = pages.post(ConsolePages.PREFIX + "replays/from-console/cancel", "");
    assertThat(tooLate.statusCode()).isEqualTo(303);
    assertThat(pages.get(tooLate.headers().firstValue("Location").orElseThrow()).body()).contains("role=\"alert\"")
        .contains("IllegalStatusException: Replay from-console is not in a valid state for this operation.")
        .contains("id=\"replay-state\">COMPLETED<");

    assertThat(pages.get(ConsolePages.PREFIX + "replays/no-such-replay").statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "archives/no-such-archive").statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "replays/no-such-replay/live").statusCode()).isEqualTo(204);
  }

  @Test
  void aRunningReplayIsCancelledFromItsPage() {
    String busArn = events().createEventBus(b -> b.name("cancel-bus")).eventBusArn();
    events().createArchive(b -> b.archiveName("cancel-archive").eventSourceArn(busArn));
    // 500 events: five pages of the replay, two seconds apart, so that it is still running when cancelled.
    for (int call = 0; call < 50; call++) {
      List<PutEventsRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        Instant time = T0.plusSeconds(call * 10L + i);
        entries.add(PutEventsRequestEntry.builder().eventBusName("cancel-bus").source("shop").detailType("t").time(time)
            .detail("{}").build());
      }
      events().putEvents(b -> b.entries(entries));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> events().describeArchive(b -> b.archiveName("cancel-archive"))
        .eventCount() == 500);
    System.setProperty(PAUSE, "2000");
    try {
      HttpResponse<String> started = pages.post(ConsolePages.PREFIX + "archives/cancel-archive/replay",
          form("name", "cancel-me", "start", "2026-01-01T00:00:00", "end", "2026-01-01T01:00:00"));
      assertThat(started.headers().firstValue("Location")).hasValue(ConsolePages.PREFIX + "replays/cancel-me");
      HttpResponse<String> running = pages.get(ConsolePages.PREFIX + "replays/cancel-me");
      assertThat(running.body()).containsPattern("id=\"replay-state\">(STARTING|RUNNING)<")
          .contains("<form method=\"post\" action=\"/_eventplane/console/replays/cancel-me/cancel\">")
          .contains("<button type=\"submit\" id=\"cancel-replay\">Cancel replay</button>");

      HttpResponse<String> cancelled = pages.post(ConsolePages.PREFIX + "replays/cancel-me/cancel", "");
      assertThat(cancelled.statusCode()).isEqualTo(303);
      String location = cancelled.headers().firstValue("Location").orElseThrow();
      assertThat(location).isEqualTo(ConsolePages.PREFIX + "replays/cancel-me?cancelled=CANCELLING");
      // The page says what CancelReplay answered and shows DescribeReplay's state: CANCELLING until the running page ends.
      HttpResponse<String> after = pages.get(location);
      assertThat(after.body()).contains("CancelReplay answered CANCELLING").containsPattern("id=\"replay-state\">CANCELL(ING|ED)<")
          .doesNotContain("id=\"cancel-replay\"");
      await().atMost(Duration.ofSeconds(20)).until(() -> events().describeReplay(b -> b.replayName("cancel-me")).state()
          == ReplayState.CANCELLED);
      var described = events().describeReplay(b -> b.replayName("cancel-me"));
      // Stopped between pages: not every archived event was replayed (none at all when the cancel came
      // before the first page: then DescribeReplay has no EventLastReplayedTime).
      assertThat(described.eventLastReplayedTime()).satisfiesAnyOf(
          last -> assertThat(last).isNull(), last -> assertThat(last).isBefore(T0.plusSeconds(499)));
      HttpResponse<String> ended = pages.get(ConsolePages.PREFIX + "replays/cancel-me");
      assertThat(ended.body()).contains("id=\"replay-state\">CANCELLED<").doesNotContain("id=\"cancel-replay\"")
          .doesNotContain("sse-connect");

      // Cancelled twice: EventBridge's refusal on the page; the wrong method, an unknown replay, a cross-site form.
      HttpResponse<String> again = pages.post(ConsolePages.PREFIX + "replays/cancel-me/cancel", "");
      assertThat(pages.get(again.headers().firstValue("Location").orElseThrow()).body()).contains("role=\"alert\"")
          .contains("IllegalStatusException: Replay cancel-me is not in a valid state for this operation.");
      assertThat(pages.get(ConsolePages.PREFIX + "replays/cancel-me/cancel").statusCode()).isEqualTo(405);
      assertThat(pages.post(ConsolePages.PREFIX + "replays/cancel-me", "").statusCode()).isEqualTo(405);
      HttpResponse<String> unknown = pages.post(ConsolePages.PREFIX + "replays/no-such-replay/cancel", "");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).contains("ResourceNotFoundException").contains("Replay no-such-replay does not exist.");
      assertThat(pages.post(ConsolePages.PREFIX + "replays/cancel-me/cancel", "", "Sec-Fetch-Site", "cross-site").statusCode())
          .isEqualTo(403);
    } finally {
      System.clearProperty(PAUSE);
    }
  }

  @Test
  void aStreamShowsItsShardsParentsAndConsumers() {
    KinesisClient k = server.kinesis();
    k.createStream(b -> b.streamName("console-clicks").shardCount(1));
    k.createStream(b -> b.streamName("views").shardCount(2));
    String arn = k.describeStreamSummary(b -> b.streamName("console-clicks")).streamDescriptionSummary().streamARN();
    server.advance(Duration.ofSeconds(1));
    k.splitShard(b -> b.streamName("console-clicks").shardToSplit("shardId-000000000000")
        .newStartingHashKey(BigInteger.ONE.shiftLeft(127).toString()));
    server.advance(Duration.ofSeconds(1));
    k.registerStreamConsumer(b -> b.streamARN(arn).consumerName("reader"));
    for (int i = 0; i < 3; i++) {
      k.putRecord(b -> b.streamName("views").partitionKey("k").data(software.amazon.awssdk.core.SdkBytes.fromUtf8String("hello")));
    }

    HttpResponse<String> list = pages.get(ConsolePages.PREFIX + "streams");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("<h1>Streams</h1>").contains(">console-clicks</a>").contains(">views</a>");

    HttpResponse<String> stream = pages.get(ConsolePages.PREFIX + "streams/console-clicks");
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.body()).contains("<h1>Stream console-clicks</h1>").contains("shardId-000000000001")
        .contains("shardId-000000000002").contains(BigInteger.ONE.shiftLeft(127).toString())
        // The children name their parent; the parent is closed.
        .containsPattern("shardId-000000000001</code></th><td>.*?</td><td>shardId-000000000000</td>")
        .contains(">closed<").contains(">reader<").contains("AWS/Kinesis");
    // No AWS/Kinesis datapoints in CloudWatch: the page says so and shows what the node it asks counted. The node that
    // owns the stream counts its records (on one node, that node; in a cluster, one of them); the others say they have none.
    assertThat(stream.body()).contains("CloudWatch has no <code>AWS/Kinesis</code> datapoints")
        .contains("it has counted no records of this stream");
    // A consumer's iterator-age gauge is made by the node's metrics at their next scrape: not known before.
    assertThat(stream.body()).containsPattern(">reader</th><td>[A-Z]+</td><td>[^<]+</td><td>not known here<");
    int counting = 0;
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      ConsolePages on = new ConsolePages(server.endpoint(node));
      assertThat(on.get("/metrics").statusCode()).isEqualTo(200);
      String views = on.get(ConsolePages.PREFIX + "streams/views").body();
      if (views.contains("From this node's metrics (Prometheus")) {
        counting++;
        // Bytes are data and partition key, as the shard limits count them: (5 + 1) x 3.
        assertThat(views).contains("id=\"incoming-records\">3<").contains("id=\"incoming-bytes\">18<");
      } else {
        assertThat(views).contains("it has counted no records of this stream");
      }
      String clicks = on.get(ConsolePages.PREFIX + "streams/console-clicks").body();
      assertThat(clicks).containsPattern(">reader</th><td>[A-Z]+</td><td>[^<]+</td><td>(0 \\(this node\\)|not known here)<");
    }
    assertThat(counting).isEqualTo(1);
    if (EmbeddedServer.nodes() == 1) {
      assertThat(pages.get(ConsolePages.PREFIX + "streams/console-clicks").body())
          .containsPattern(">reader</th><td>[A-Z]+</td><td>[^<]+</td><td>0 \\(this node\\)<");
    }
    assertThat(pages.get(ConsolePages.PREFIX + "streams/no-such-stream").statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "streams/bad%2Fname").statusCode()).isEqualTo(404);
  }

  @Test
  void aStreamsThroughputComesFromCloudWatchOnceItsMinuteIsPublished() {
    KinesisClient k = server.kinesis();
    String name = "console-cw-throughput";
    k.createStream(b -> b.streamName(name).shardCount(1));
    // Partition key and data count: 2 x ("k" + "hello") + 3 x ("key" + "abcdefg") = 12 + 30 bytes in 5 records.
    for (int i = 0; i < 2; i++) k.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("hello")));
    List<PutRecordsRequestEntry> three = new ArrayList<>();
    for (int i = 0; i < 3; i++) three.add(PutRecordsRequestEntry.builder().partitionKey("key").data(SdkBytes.fromUtf8String("abcdefg")).build());
    k.putRecords(b -> b.streamName(name).records(three));
    assertThat(pages.get(ConsolePages.PREFIX + "streams/" + name).body()).contains("CloudWatch has no <code>AWS/Kinesis</code>");
    // An enhanced fan-out consumer reading the shard: its events' MillisBehindLatest go to CloudWatch too.
    String arn = k.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();
    String consumer = k.registerStreamConsumer(b -> b.streamARN(arn).consumerName("cw-reader")).consumer().consumerARN();
    List<SubscribeToShardEvent> seen = new CopyOnWriteArrayList<>();
    SubscribeToShardResponseHandler handler = SubscribeToShardResponseHandler.builder()
        .subscriber(SubscribeToShardResponseHandler.Visitor.builder().onSubscribeToShardEvent(seen::add).build()).build();
    var subscription = server.kinesisAsync().subscribeToShard(b -> b.consumerARN(consumer).shardId("shardId-000000000000")
        .startingPosition(p -> p.type(ShardIteratorType.TRIM_HORIZON)), handler);
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().mapToInt(e -> e.records().size()).sum() == 5);
    } finally {
      subscription.cancel(true);
    }

    // The next minute of the server's clock: each node's sampler publishes what its lanes counted to CloudWatch, which
    // every node's console reads (the page names its source and shows the minute's sums).
    server.advance(Duration.ofSeconds(60));
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      ConsolePages on = new ConsolePages(server.endpoint(node));
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(throughput(on.get(ConsolePages.PREFIX + "streams/"
          + name).body())).contains("id=\"throughput-source\">From CloudWatch"));
      String page = on.get(ConsolePages.PREFIX + "streams/" + name).body();
      assertThat(page).contains("<caption>Incoming per minute</caption>")
          .containsPattern("<tbody><tr><th scope=\"row\">\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00Z</th><td>5</td><td>42</td></tr></tbody>")
          .doesNotContain("From this node's metrics")
          // Caught up: the consumer's highest MillisBehindLatest of the minute, from CloudWatch on every node.
          .contains(">cw-reader</th><td>ACTIVE</td>").containsPattern(">cw-reader</th><td>[A-Z]+</td><td>[^<]+</td><td>0 \\(CloudWatch\\)<");
    }
  }

  /** A stream page's throughput section (what a failed assertion shows). */
  private static String throughput(String page) {
    int from = page.indexOf("<section aria-labelledby=\"throughput-h\">");
    return from < 0 ? page : page.substring(from, page.indexOf("</section>", from));
  }

  @Test
  void theAuditTrailFindsACallJustMadeAndRefusesABadRange() {
    server.sqs().createQueue(b -> b.queueName("audited-queue"));
    String byResource = ConsolePages.PREFIX + "audit?key=ResourceName&value=audited-queue";
    await().atMost(Duration.ofSeconds(10)).until(() -> pages.get(byResource).body().contains("class=\"event-name\">CreateQueue<"));
    HttpResponse<String> found = pages.get(byResource);
    assertThat(found.body()).contains("<h1>Audit trail</h1>").contains("<details><summary>JSON</summary>")
        .contains("&quot;eventName&quot; : &quot;CreateQueue&quot;").contains("option value=\"ResourceName\" selected");
    assertThat(pages.get(ConsolePages.PREFIX + "audit?key=EventName&value=CreateQueue").body()).contains("audited-queue");
    assertThat(pages.get(ConsolePages.PREFIX + "audit?key=EventName&value=NoSuchCall").body()).contains("No API calls match.");
    HttpResponse<String> backwards = pages.get(ConsolePages.PREFIX + "audit?from=2026-02-01T00:00:00&to=2026-01-01T00:00:00");
    assertThat(backwards.statusCode()).isEqualTo(200);
    assertThat(backwards.body()).contains("role=\"alert\"").contains("Start time must be before end time.");
    assertThat(pages.get(ConsolePages.PREFIX + "audit?key=Nonsense&value=x").body()).contains("InvalidLookupAttributesException");

    // Paged by LookupEvents's NextToken, 50 a page.
    for (int i = 0; i < 55; i++) server.sqs().listQueues();
    await().atMost(Duration.ofSeconds(10)).until(() -> nextLink(pages.get(ConsolePages.PREFIX + "audit?key=EventName&value=ListQueues")
        .body()) != null);
    String next = nextLink(pages.get(ConsolePages.PREFIX + "audit?key=EventName&value=ListQueues").body());
    assertThat(next).contains("key=EventName").contains("value=ListQueues").contains("token=");
    HttpResponse<String> second = pages.get(next);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).contains("class=\"event-name\">ListQueues<").contains("First page");
  }
}
