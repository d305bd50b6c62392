package io.eventplane.server.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.InvalidFormatException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** The alarm operations' edges: validation with AWS's codes, DescribeAlarms' filters and pages, history, deletes, protocols. */
class CloudWatchAlarmsApiTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:ops";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final CloudWatchClient cw = server.cloudWatch();

  /** A valid alarm on Shop/Errors named {@code name}, changed by {@code more}. */
  private void put(String name, Consumer<PutMetricAlarmRequest.Builder> more) {
    cw.putMetricAlarm(b -> {
      b.alarmName(name).namespace("Shop").metricName("Errors").statistic(Statistic.SUM).period(60).evaluationPeriods(1)
          .threshold(5.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD);
      more.accept(b);
    });
  }

  private <T extends CloudWatchException> T refused(Class<T> type, String code, int status, Runnable call) {
    T e = catchThrowableOfType(type, call::run);
    assertThat(e).as("refused with " + type.getSimpleName()).isNotNull();
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    assertThat(e.statusCode()).isEqualTo(status);
    return e;
  }

  private String invalid(Consumer<PutMetricAlarmRequest.Builder> bad) {
    return refused(InvalidParameterValueException.class, "InvalidParameterValue", 400, () -> put("bad", bad)).getMessage();
  }

  @Test
  void putMetricAlarmRefusesWhatAwsRefuses() {
    refused(MissingRequiredParameterException.class, "MissingParameter", 400, () -> put("", b -> { }));
    assertThat(invalid(b -> b.alarmName("x".repeat(256)))).startsWith("The parameter AlarmName must be shorter than 256 characters.");
    assertThat(invalid(b -> b.period(45))).startsWith("The parameter Period must be 10, 30 or a multiple of 60.");
    assertThat(invalid(b -> b.period(3600).evaluationPeriods(25)))
        .startsWith("Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400).");
    assertThat(invalid(b -> b.evaluationPeriods(2).datapointsToAlarm(3)))
        .startsWith("DatapointsToAlarm must be less than or equal to EvaluationPeriods.");
    refused(InvalidParameterCombinationException.class, "InvalidParameterCombination", 400,
        () -> put("bad", b -> b.extendedStatistic("p90")));
    refused(MissingRequiredParameterException.class, "MissingParameter", 400,
        () -> put("bad", b -> b.statistic((String) null)));
    refused(MissingRequiredParameterException.class, "MissingParameter", 400, () -> put("bad", b -> b.threshold(null)));
    assertThat(invalid(b -> b.namespace(null).metricName(null).statistic((String) null).metrics(MetricDataQuery.builder()
        .id("m1").expression("SUM(METRICS())").build()))).contains("metric math alarms are not supported");
    refused(InvalidParameterCombinationException.class, "InvalidParameterCombination", 400, () -> put("bad",
        b -> b.metrics(MetricDataQuery.builder().id("m1").expression("SUM(METRICS())").build())));
    assertThat(invalid(b -> b.alarmActions(Collections.nCopies(6, TOPIC))))
        .startsWith("The collection AlarmActions must not have a size greater than 5.");
    assertThat(invalid(b -> b.okActions("not-an-arn"))).startsWith("Invalid arn syntax: not-an-arn");
    assertThat(invalid(b -> b.alarmActions("arn:aws:automate:us-east-1:ec2:stop"))).contains("is not supported");
    invalid(b -> b.comparisonOperator("Bigger"));
    invalid(b -> b.treatMissingData("sometimes"));
    invalid(b -> b.unit("Apples"));
    assertThat(cw.describeAlarms(b -> b.alarmNames("bad")).metricAlarms()).isEmpty();
  }

  @Test
  void anUpdateKeepsTheStateAndIsInTheHistory() {
    put("kept", b -> { });
    cw.setAlarmState(b -> b.alarmName("kept").stateValue(StateValue.ALARM).stateReason("by hand"));
    put("kept", b -> b.threshold(7.0).alarmDescription("now seven").datapointsToAlarm(1));
    MetricAlarm a = cw.describeAlarms(b -> b.alarmNames("kept")).metricAlarms().get(0);
    assertThat(a.stateValue()).isEqualTo(StateValue.ALARM);
    assertThat(a.stateReason()).isEqualTo("by hand");
    assertThat(a.threshold()).isEqualTo(7.0);
    assertThat(a.alarmDescription()).isEqualTo("now seven");
    assertThat(a.statistic()).isEqualTo(Statistic.SUM);
    assertThat(a.namespace()).isEqualTo("Shop");
    assertThat(a.period()).isEqualTo(60);
    assertThat(a.evaluationPeriods()).isEqualTo(1);
    assertThat(a.comparisonOperator()).isEqualTo(ComparisonOperator.GREATER_THAN_THRESHOLD);
    assertThat(a.datapointsToAlarm()).isEqualTo(1);
    assertThat(a.treatMissingData()).as("left to its default: not shown, as AWS").isNull();
    put("kept", b -> b.treatMissingData("ignore"));
    MetricAlarm again = cw.describeAlarms(b -> b.alarmNames("kept")).metricAlarms().get(0);
    assertThat(again.treatMissingData()).isEqualTo("ignore");
    assertThat(again.datapointsToAlarm()).isNull();
    assertThat(a.alarmConfigurationUpdatedTimestamp()).isEqualTo(server.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    List<AlarmHistoryItem> config = cw.describeAlarmHistory(b -> b.alarmName("kept")
        .historyItemType(HistoryItemType.CONFIGURATION_UPDATE).scanBy(ScanBy.TIMESTAMP_ASCENDING)).alarmHistoryItems();
    assertThat(config).extracting(AlarmHistoryItem::historySummary)
        .containsExactly("Alarm \"kept\" created", "Alarm \"kept\" updated", "Alarm \"kept\" updated");
    assertThat(config.get(0).alarmType()).isEqualTo(AlarmType.METRIC_ALARM);
    assertThat(new JsonObject(config.get(1).historyData()).getJsonObject("updatedAlarm").getDouble("threshold")).isEqualTo(7.0);
  }

  @Test
  void describeAlarmsFiltersAndPages() {
    for (String n : List.of("web-1", "web-2", "web-3", "db-1")) put(n, b -> { });
    put("paged", b -> b.alarmActions(TOPIC));
    cw.setAlarmState(b -> b.alarmName("web-2").stateValue(StateValue.OK).stateReason("fine"));
    assertThat(cw.describeAlarms().metricAlarms()).extracting(MetricAlarm::alarmName)
        .containsExactly("db-1", "paged", "web-1", "web-2", "web-3");
    assertThat(cw.describeAlarms().compositeAlarms()).isEmpty();
    assertThat(cw.describeAlarms(b -> b.alarmNamePrefix("web-")).metricAlarms()).extracting(MetricAlarm::alarmName)
        .containsExactly("web-1", "web-2", "web-3");
    assertThat(cw.describeAlarms(b -> b.alarmNames("db-1", "web-3", "nope")).metricAlarms()).extracting(MetricAlarm::alarmName)
        .containsExactly("db-1", "web-3");
    assertThat(cw.describeAlarms(b -> b.stateValue(StateValue.OK)).metricAlarms()).extracting(MetricAlarm::alarmName)
        .containsExactly("web-2");
    assertThat(cw.describeAlarms(b -> b.actionPrefix("arn:aws:sns:us-east-1:000000000000:o")).metricAlarms())
        .extracting(MetricAlarm::alarmName).containsExactly("paged");
    assertThat(cw.describeAlarms(b -> b.alarmTypes(AlarmType.COMPOSITE_ALARM)).metricAlarms()).isEmpty();

    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String t = token;
      DescribeAlarmsResponse page = cw.describeAlarms(b -> b.maxRecords(2).nextToken(t));
      page.metricAlarms().forEach(a -> seen.add(a.alarmName()));
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly("db-1", "paged", "web-1", "web-2", "web-3");

    refused(InvalidParameterValueException.class, "InvalidParameterValue", 400, () -> cw.describeAlarms(b -> b.maxRecords(0)));
    refused(InvalidParameterValueException.class, "InvalidParameterValue", 400, () -> cw.describeAlarms(b -> b.maxRecords(101)));
    refused(InvalidNextTokenException.class, "InvalidNextToken", 400, () -> cw.describeAlarms(b -> b.nextToken("garbage!")));
    refused(InvalidParameterValueException.class, "InvalidParameterValue", 400,
        () -> cw.describeAlarms(b -> b.alarmNames(Collections.nCopies(101, "x").stream().map(s -> s + Math.random()).toList())));
    refused(InvalidParameterCombinationException.class, "InvalidParameterCombination", 400,
        () -> cw.describeAlarms(b -> b.alarmNames("web-1").alarmNamePrefix("web")));

    put("on-dim", b -> b.dimensions(Dimension.builder().name("Shop").value("north").build()));
    assertThat(cw.describeAlarmsForMetric(b -> b.namespace("Shop").metricName("Errors")
        .dimensions(Dimension.builder().name("Shop").value("north").build())).metricAlarms())
        .extracting(MetricAlarm::alarmName).containsExactly("on-dim");
    assertThat(cw.describeAlarmsForMetric(b -> b.namespace("Shop").metricName("Errors")).metricAlarms()).hasSize(5);
    assertThat(cw.describeAlarmsForMetric(b -> b.namespace("Shop").metricName("Errors").statistic(Statistic.AVERAGE))
        .metricAlarms()).isEmpty();
  }

  @Test
  void deleteAlarmsDeletesNothingWhenAnyNameIsUnknown() {
    put("one", b -> { });
    put("two", b -> { });
    refused(ResourceNotFoundException.class, "ResourceNotFound", 404, () -> cw.deleteAlarms(b -> b.alarmNames("one", "ghost")));
    assertThat(cw.describeAlarms().metricAlarms()).hasSize(2);
    cw.deleteAlarms(b -> b.alarmNames("one", "two"));
    assertThat(cw.describeAlarms().metricAlarms()).isEmpty();
    assertThat(cw.describeAlarmHistory(b -> b.alarmName("one")).alarmHistoryItems()).isEmpty();
    refused(ResourceNotFoundException.class, "ResourceNotFound", 404, () -> cw.deleteAlarms(b -> b.alarmNames("one")));
  }

  @Test
  void setAlarmStateAndHistoryEdges() {
    put("edgy", b -> { });
    refused(ResourceNotFoundException.class, "ResourceNotFound", 404,
        () -> cw.setAlarmState(b -> b.alarmName("ghost").stateValue(StateValue.OK).stateReason("r")));
    refused(InvalidFormatException.class, "InvalidFormat", 400,
        () -> cw.setAlarmState(b -> b.alarmName("edgy").stateValue(StateValue.OK).stateReason("r").stateReasonData("{not json")));
    refused(InvalidParameterValueException.class, "InvalidParameterValue", 400,
        () -> cw.setAlarmState(b -> b.alarmName("edgy").stateValue("MAYBE").stateReason("r")));
    refused(MissingRequiredParameterException.class, "MissingParameter", 400,
        () -> cw.setAlarmState(b -> b.alarmName("edgy").stateValue(StateValue.OK)));
    for (StateValue s : List.of(StateValue.OK, StateValue.ALARM, StateValue.OK)) {
      cw.setAlarmState(b -> b.alarmName("edgy").stateValue(s).stateReason("to " + s));
    }
    List<AlarmHistoryItem> newestFirst = cw.describeAlarmHistory(b -> b.alarmName("edgy")
        .historyItemType(HistoryItemType.STATE_UPDATE)).alarmHistoryItems();
    assertThat(newestFirst).extracting(AlarmHistoryItem::historySummary).containsExactly("Alarm updated from ALARM to OK",
        "Alarm updated from OK to ALARM", "Alarm updated from INSUFFICIENT_DATA to OK");
    var first = cw.describeAlarmHistory(b -> b.alarmName("edgy").maxRecords(2));
    assertThat(first.alarmHistoryItems()).hasSize(2);
    var rest = cw.describeAlarmHistory(b -> b.alarmName("edgy").maxRecords(2).nextToken(first.nextToken()));
    assertThat(rest.alarmHistoryItems()).hasSize(2);
    assertThat(rest.nextToken()).isNull();
    assertThat(cw.describeAlarmHistory(b -> b.alarmTypes(AlarmType.COMPOSITE_ALARM)).alarmHistoryItems()).isEmpty();
    assertThat(cw.describeAlarmHistory(b -> b.startDate(server.clock().instant().plusSeconds(1))).alarmHistoryItems()).isEmpty();
  }

  @Test
  void historyIsKeptTwoWeeks() {
    put("old", b -> { });
    cw.setAlarmState(b -> b.alarmName("old").stateValue(StateValue.ALARM).stateReason("long ago"));
    java.time.Instant then = server.clock().instant();
    assertThat(cw.describeAlarmHistory(b -> b.alarmName("old")).alarmHistoryItems()).hasSize(2);
    server.advance(java.time.Duration.ofDays(14).plusHours(2));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(cw.describeAlarmHistory(b -> b.alarmName("old")).alarmHistoryItems())
            .allSatisfy(i -> assertThat(i.timestamp()).isAfter(then)));
    assertThat(cw.describeAlarms(b -> b.alarmNames("old")).metricAlarms()).hasSize(1);
  }

  @Test
  void awsJsonAndQueryServeTheAlarmsToo() throws Exception {
    HttpResponse<String> put = http("application/x-amz-json-1.0", "PutMetricAlarm", new JsonObject().put("AlarmName", "json-alarm")
        .put("Namespace", "Shop").put("MetricName", "Errors").put("Statistic", "Sum").put("Period", 60)
        .put("EvaluationPeriods", 1).put("Threshold", 1).put("ComparisonOperator", "GreaterThanThreshold")
        .put("AlarmActions", new JsonArray().add(TOPIC)).encode());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    HttpResponse<String> json = http("application/x-amz-json-1.0", "DescribeAlarms", "{\"AlarmNames\":[\"json-alarm\"]}");
    JsonObject alarm = new JsonObject(json.body()).getJsonArray("MetricAlarms").getJsonObject(0);
    assertThat(alarm.getString("StateValue")).isEqualTo("INSUFFICIENT_DATA");
    assertThat(alarm.getValue("StateUpdatedTimestamp")).isInstanceOf(Number.class);
    HttpResponse<String> missing = http("application/x-amz-json-1.0", "SetAlarmState",
        "{\"AlarmName\":\"ghost\",\"StateValue\":\"OK\",\"StateReason\":\"r\"}");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(missing.body()).getString("__type")).isEqualTo("com.amazonaws.cloudwatch#ResourceNotFoundException");
    assertThat(missing.headers().firstValue("x-amzn-query-error")).hasValue("ResourceNotFound;Sender");

    HttpResponse<String> q = http("application/x-www-form-urlencoded; charset=utf-8", null, "Action=PutMetricAlarm&Version=2010-08-01"
        + "&AlarmName=query-alarm&Namespace=Shop&MetricName=Errors&Statistic=Sum&Period=300&EvaluationPeriods=2"
        + "&Threshold=2.5&ComparisonOperator=LessThanThreshold&OKActions.member.1=" + URLEncoder.encode(TOPIC, StandardCharsets.UTF_8)
        + "&Dimensions.member.1.Name=Shop&Dimensions.member.1.Value=south");
    assertThat(q.statusCode()).as(q.body()).isEqualTo(200);
    HttpResponse<String> xml = http("application/x-www-form-urlencoded; charset=utf-8", null,
        "Action=DescribeAlarms&Version=2010-08-01&AlarmNamePrefix=query-");
    assertThat(xml.body()).contains("<AlarmName>query-alarm</AlarmName>", "<Threshold>2.5</Threshold>",
        "<Period>300</Period>", "<member>" + TOPIC + "</member>", "<StateValue>INSUFFICIENT_DATA</StateValue>",
        "<Name>Shop</Name>", "<Value>south</Value>", "<CompositeAlarms></CompositeAlarms>");
    assertThat(xml.body()).containsPattern("<StateUpdatedTimestamp>\\d{4}-\\d\\d-\\d\\dT[^<]+Z</StateUpdatedTimestamp>");
  }

  private HttpResponse<String> http(String contentType, String target, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.endpoint().resolve("/")).header("Content-Type", contentType);
    if (target != null) b.header("X-Amz-Target", "GraniteServiceVersion20100801." + target);
    return HTTP.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
