package io.eventplane.functions.api;

import io.eventplane.common.error.ServiceException;
import io.eventplane.functions.domain.Function;
import io.eventplane.functions.domain.FunctionErrors;
import io.eventplane.functions.domain.Functions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * AddPermission, RemovePermission and GetPolicy: the statements of a function's resource-based
 * policy, written as Lambda writes them. Stored and shown; not enforced.
 */
final class PermissionOperations {
  private static final Pattern STATEMENT_ID = Pattern.compile("[a-zA-Z0-9-_.]+");
  private static final Pattern ACTION = Pattern.compile("(lambda:[*]|lambda:[a-zA-Z]+|[*])");
  private static final Pattern PRINCIPAL = Pattern.compile("[^\\s]+");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

  private final Functions functions;

  PermissionOperations(Functions functions) {
    this.functions = functions;
  }

  Future<JsonObject> add(Function f, JsonObject in) {
    String sid = FunctionInputs.string(in, "StatementId");
    if (sid == null) throw FunctionErrors.validation("null", "statementId", "Member must not be null");
    if (sid.length() > 100 || !STATEMENT_ID.matcher(sid).matches()) {
      throw FunctionErrors.validation(sid, "statementId", "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)");
    }
    String action = FunctionInputs.string(in, "Action");
    if (action == null) throw FunctionErrors.validation("null", "action", "Member must not be null");
    if (!ACTION.matcher(action).matches()) {
      throw FunctionErrors.validation(action, "action", "Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])");
    }
    String principal = FunctionInputs.string(in, "Principal");
    if (principal == null) throw FunctionErrors.validation("null", "principal", "Member must not be null");
    if (!PRINCIPAL.matcher(principal).matches()) {
      throw FunctionErrors.validation(principal, "principal", "Member must satisfy regular expression pattern: [^\\s]+");
    }
    String revision = FunctionInputs.string(in, "RevisionId");
    if (revision != null && !revision.equals(f.revisionId())) throw FunctionErrors.preconditionFailed();
    JsonArray statements = functions.policy(f);
    for (Object s : statements) {
      if (sid.equals(((JsonObject) s).getString("Sid"))) {
        throw new ServiceException("ResourceConflictException", "The statement id (" + sid + ") provided already exists. "
            + "Please provide a new statement id, or remove the existing statement.");
      }
    }
    JsonObject statement = new JsonObject().put("Sid", sid).put("Effect", "Allow").put("Principal", principal(principal))
        .put("Action", action).put("Resource", f.arn());
    JsonObject condition = new JsonObject();
    if (in.getString("SourceArn") != null) {
      condition.put("ArnLike", new JsonObject().put("AWS:SourceArn", in.getString("SourceArn")));
    }
    JsonObject equals = new JsonObject();
    if (in.getString("SourceAccount") != null) equals.put("AWS:SourceAccount", in.getString("SourceAccount"));
    if (in.getString("PrincipalOrgID") != null) equals.put("aws:PrincipalOrgID", in.getString("PrincipalOrgID"));
    if (in.getString("FunctionUrlAuthType") != null) equals.put("lambda:FunctionUrlAuthType", in.getString("FunctionUrlAuthType"));
    if (!equals.isEmpty()) condition.put("StringEquals", equals);
    if (!condition.isEmpty()) statement.put("Condition", condition);
    statements.add(statement);
    return functions.putPolicy(f, statements).map(v -> new JsonObject().put("Statement", statement.encode()));
  }

  Future<JsonObject> remove(Function f, JsonObject in) {
    String sid = in.getString("StatementId");
    JsonArray statements = functions.policy(f);
    boolean removed = statements.getList().removeIf(s -> s instanceof java.util.Map<?, ?> m ? sid.equals(m.get("Sid"))
        : s instanceof JsonObject o && sid.equals(o.getString("Sid")));
    if (!removed) {
      throw new ServiceException("ResourceNotFoundException", "Statement " + sid + " is not found in resource policy.");
    }
    return functions.putPolicy(f, statements).map(v -> new JsonObject());
  }

  Future<JsonObject> get(Function f) {
    JsonArray statements = functions.policy(f);
    if (statements.isEmpty()) {
      throw new ServiceException("ResourceNotFoundException", "The resource you requested does not exist.");
    }
    JsonObject policy = new JsonObject().put("Version", "2012-10-17").put("Id", "default").put("Statement", statements);
    return Future.succeededFuture(new JsonObject().put("Policy", policy.encode()).put("RevisionId", f.revisionId()));
  }

  /** As Lambda writes a principal: a service, an account root, or anyone. */
  private static Object principal(String p) {
    if (p.equals("*")) return "*";
    if (ACCOUNT.matcher(p).matches()) return new JsonObject().put("AWS", "arn:aws:iam::" + p + ":root");
    if (p.startsWith("arn:")) return new JsonObject().put("AWS", p);
    return new JsonObject().put("Service", p);
  }
}
