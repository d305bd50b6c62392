package io.eventplane.gateway.authz;

import java.util.ArrayList;
import java.util.List;

/**
 * "Actions, resources, and condition keys for AWS Lambda": functions are
 * {@code arn:aws:lambda:region:account:function:name[:qualifier]}, named by FunctionName (a name,
 * {@code name:qualifier}, a partial {@code account:function:name} or a full ARN) and Qualifier; the
 * qualifier is kept where the operation takes one (Invoke, GetFunction, GetPolicy, ...). Event
 * source mappings are {@code ...:event-source-mapping:UUID} with lambda:FunctionArn. Creating or
 * updating a function with a role also needs iam:PassRole on the role with iam:PassedToService.
 */
final class LambdaActions {
  static final String SERVICE_PRINCIPAL = "lambda.amazonaws.com";

  private LambdaActions() {}

  static final ServiceActions TABLE = ActionTable.builder("lambda")
      .rule("Invoke", (c, a) -> List.of(Target.of("lambda:InvokeFunction", function(c, a, true))))
      .same((c, a) -> function(c, a, true), "GetFunction", "DeleteFunction", "GetFunctionConfiguration",
          "AddPermission", "GetPolicy", "RemovePermission", "PutFunctionEventInvokeConfig",
          "UpdateFunctionEventInvokeConfig", "GetFunctionEventInvokeConfig", "DeleteFunctionEventInvokeConfig")
      .same((c, a) -> function(c, a, false), "UpdateFunctionCode", "PublishVersion", "ListVersionsByFunction",
          "CreateAlias", "ListAliases", "GetAlias", "UpdateAlias", "DeleteAlias", "PutFunctionConcurrency",
          "DeleteFunctionConcurrency", "GetFunctionConcurrency", "ListFunctionEventInvokeConfigs")
      .rule("CreateFunction", (c, a) -> withPassRole(Target.of("lambda:CreateFunction", function(c, a, false)), c))
      .rule("UpdateFunctionConfiguration",
          (c, a) -> withPassRole(Target.of("lambda:UpdateFunctionConfiguration", function(c, a, false)), c))
      .anyResource("ListFunctions", "ListEventSourceMappings")
      .rule("CreateEventSourceMapping", (c, a) -> List.of(Target.of("lambda:CreateEventSourceMapping", "*")
          .with("lambda:FunctionArn", c.string("FunctionName") == null ? null : function(c, a, true))))
      .rule("GetEventSourceMapping", mapping("lambda:GetEventSourceMapping"))
      .rule("UpdateEventSourceMapping", mapping("lambda:UpdateEventSourceMapping"))
      .rule("DeleteEventSourceMapping", mapping("lambda:DeleteEventSourceMapping"))
      .same((c, a) -> resource(c.string("Resource"), a), "TagResource", "UntagResource", "ListTags")
      .build();

  /** The function's ARN from FunctionName (and Qualifier when {@code qualified}). */
  static String function(ApiCall c, Arns a, boolean qualified) {
    String name = c.string("FunctionName");
    if (name == null) return a.of("lambda", "function:*");
    String arn;
    if (name.startsWith("arn:")) {
      arn = name;
    } else if (name.contains(":function:")) {
      arn = "arn:aws:lambda:" + a.region() + ":" + name;
    } else {
      arn = a.of("lambda", "function:" + name);
    }
    // arn:aws:lambda:region:account:function:name[:qualifier]
    int colons = 0;
    int cut = -1;
    for (int i = 0; i < arn.length(); i++) {
      if (arn.charAt(i) == ':' && ++colons == 7) {
        cut = i;
        break;
      }
    }
    String qualifier = c.string("Qualifier");
    if (!qualified) return cut < 0 ? arn : arn.substring(0, cut);
    if (cut < 0 && qualifier != null) return arn + ":" + qualifier;
    return arn;
  }

  private static ActionTable.Rule mapping(String action) {
    return (c, a) -> {
      String uuid = c.string("UUID");
      Target t = Target.of(action, a.of("lambda", "event-source-mapping:" + (uuid != null ? uuid : "*")));
      return List.of(c.string("FunctionName") == null ? t : t.with("lambda:FunctionArn", function(c, a, true)));
    };
  }

  private static String resource(String arn, Arns a) {
    return arn != null ? arn : a.of("lambda", "function:*");
  }

  /** The call's own target, and iam:PassRole on the role it names (passed to Lambda). */
  private static List<Target> withPassRole(Target own, ApiCall c) {
    List<Target> targets = new ArrayList<>(2);
    targets.add(own);
    String role = c.string("Role");
    if (role != null) targets.add(Target.of("iam:PassRole", role).with("iam:PassedToService", SERVICE_PRINCIPAL));
    return targets;
  }
}
