package io.eventplane.functions.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceException;
import io.eventplane.functions.code.CodePackage;
import io.eventplane.functions.code.S3CodeSource;
import io.eventplane.functions.domain.Function;
import io.eventplane.functions.domain.FunctionErrors;
import io.eventplane.functions.domain.FunctionName;
import io.eventplane.functions.domain.Functions;
import io.eventplane.functions.runtime.Instances;
import io.eventplane.functions.runtime.Invocation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The Lambda operations on functions this node owns: each takes the request's input (members from
 * the path, query, headers and JSON body, as the gateway gathered them) and answers the output
 * members. Runs on the context of the Lambda lane that owns the function.
 */
public final class FunctionApi {
  /** The account-wide concurrency Lambda grants by default, of which 100 always stay unreserved. */
  public static final int ACCOUNT_CONCURRENCY = 1000;
  private static final int UNRESERVED_MINIMUM = 100;

  private final Functions functions;
  private final Instances instances;
  private final Invoker invoker;
  private final Clock clock;
  private final EventInvokeConfigOperations invokeConfigs;
  private final PermissionOperations permissions;
  private final VersionOperations versions;
  private final CodeSources code;
  private final RoleIds roleIds;

  /**
   * The id IAM gave an execution role, asked once when a function's role is set (not when it
   * runs): an instance's credentials name it ({@code roleId:function}). Completes with null when
   * IAM does not know the role (Eventplane does not refuse such a function, as Lambda would).
   */
  public interface RoleIds {
    Future<String> of(String roleArn, RequestContext context);
  }

  /** Where Event invocations go: the durable asynchronous queue. */
  public interface Invoker {
    Future<Void> enqueue(Function f, String requestId, byte[] payload);
  }

  /**
   * @param s3 where packages named by Code.S3Bucket/S3Key (or UpdateFunctionCode's S3 members) are read
   * @param roleIds asks IAM for an execution role's id
   */
  public FunctionApi(Functions functions, Instances instances, Invoker invoker, Clock clock, S3CodeSource s3,
      RoleIds roleIds) {
    this.code = new CodeSources(s3);
    this.roleIds = roleIds;
    this.functions = functions;
    this.instances = instances;
    this.invoker = invoker;
    this.clock = clock;
    this.invokeConfigs = new EventInvokeConfigOperations(functions, clock);
    this.permissions = new PermissionOperations(functions);
    this.versions = new VersionOperations(functions, instances, clock);
  }

  public Future<JsonObject> handle(ApiRequest request) {
    try {
      return switch (request.operation()) {
        case "CreateFunction" -> create(request.input(), request.context());
        case "GetFunction" -> get(request.input(), request.context());
        case "GetFunctionConfiguration" -> Future.succeededFuture(readConfiguration(request.input(), request.context()));
        case "PublishVersion" -> versions.publish(request.input(), request.context());
        case "ListVersionsByFunction" -> versions.listVersions(request.input(), request.context());
        case "CreateAlias" -> versions.createAlias(request.input(), request.context());
        case "GetAlias" -> versions.getAlias(request.input(), request.context());
        case "UpdateAlias" -> versions.updateAlias(request.input(), request.context());
        case "DeleteAlias" -> versions.deleteAlias(request.input(), request.context());
        case "ListAliases" -> versions.listAliases(request.input(), request.context());
        case "UpdateFunctionCode" -> updateCode(request.input(), request.context());
        case "UpdateFunctionConfiguration" -> updateConfiguration(request.input(), request.context());
        case "DeleteFunction" -> delete(request.input(), request.context());
        case "Invoke" -> invoke(request.input(), request.context());
        case "PutFunctionConcurrency" -> putConcurrency(request.input(), request.context());
        case "GetFunctionConcurrency" -> getConcurrency(request.input(), request.context());
        case "DeleteFunctionConcurrency" -> deleteConcurrency(request.input(), request.context());
        case "PutFunctionEventInvokeConfig" -> invokeConfigs.put(require(request), request.input(), false);
        case "UpdateFunctionEventInvokeConfig" -> invokeConfigs.put(require(request), request.input(), true);
        case "GetFunctionEventInvokeConfig" -> invokeConfigs.get(require(request));
        case "DeleteFunctionEventInvokeConfig" -> invokeConfigs.delete(require(request));
        case "ListFunctionEventInvokeConfigs" -> invokeConfigs.list(require(request));
        case "AddPermission" -> permissions.add(require(request), request.input());
        case "RemovePermission" -> permissions.remove(require(request), request.input());
        case "GetPolicy" -> permissions.get(require(request));
        case "TagResource" -> tag(request.input(), request.context());
        case "UntagResource" -> untag(request.input(), request.context());
        case "ListTags" -> listTags(request.input(), request.context());
        default -> Future.failedFuture(new ServiceException("UnknownOperationException",
            "Unknown operation " + request.operation()));
      };
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonObject> create(JsonObject in, RequestContext ctx) {
    FunctionName name = FunctionName.unqualified(in.getString("FunctionName"), "functionName", ctx.accountId(), ctx.region());
    String role = FunctionInputs.role(in);
    if ("Image".equals(in.getString("PackageType"))) {
      throw FunctionErrors.invalid("PackageType Image is not supported by Eventplane: deploy a .zip or .jar package.");
    }
    String runtime = FunctionInputs.string(in, "Runtime");
    String handler = FunctionInputs.string(in, "Handler");
    if (runtime == null || handler == null) {
      throw FunctionErrors.invalid("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
    }
    FunctionInputs.runtime(runtime);
    FunctionInputs.handler(handler);
    String description = FunctionInputs.description(orDefault(FunctionInputs.string(in, "Description"), ""));
    int timeout = in.getValue("Timeout") == null ? 3 : FunctionInputs.timeout(in.getValue("Timeout"));
    int memory = in.getValue("MemorySize") == null ? 128 : FunctionInputs.memorySize(in.getValue("MemorySize"));
    Map<String, String> env = orDefault(FunctionInputs.environment(in), Map.of());
    String dlq = emptyToNull(FunctionInputs.deadLetterTarget(in));
    String arch = FunctionInputs.architecture(in);
    int storage = FunctionInputs.ephemeralStorage(in);
    Map<String, String> tags = FunctionInputs.tags(in);
    JsonObject source = FunctionInputs.object(in, "Code");
    if (source == null) throw FunctionErrors.validation("null", "code", "Member must not be null");
    if (functions.get(name) != null) throw FunctionErrors.exists(name.name());
    return code.packageOf(source, "code.", ctx).compose(pkg -> roleIds.of(role, ctx).compose(roleId -> {
      // Fetching from S3 and asking IAM took a while: the name may have been taken meanwhile.
      if (functions.get(name) != null) throw FunctionErrors.exists(name.name());
      Function f = new Function(name.accountId(), name.name(), ctx.region(), runtime, role, handler, description, timeout,
          memory, env, dlq, pkg.sha256(), pkg.zip().length, clock.millis(), UUID.randomUUID().toString(), arch, storage,
          tags, null, Function.LATEST, 0, roleId);
      return functions.put(f, pkg.zip()).map(saved -> saved.configuration(Function.View.CREATED));
    }));
  }

  /**
   * The configuration a read names: Lambda echoes an explicit {@code $LATEST} qualifier in the
   * FunctionArn ({@code ...:function:name:$LATEST}) and leaves an unqualified one bare.
   */
  private JsonObject readConfiguration(JsonObject in, RequestContext ctx) {
    FunctionName name = qualified(in, ctx);
    JsonObject configuration = functions.resolve(name, ctx.region(), false).configuration();
    if (Function.LATEST.equals(name.qualifier())) configuration.put("FunctionArn", name.arn() + ":" + Function.LATEST);
    return configuration;
  }

  private Future<JsonObject> get(JsonObject in, RequestContext ctx) {
    Function f = resolve(in, ctx, false);
    JsonObject out = new JsonObject()
        .put("Configuration", readConfiguration(in, ctx))
        .put("Code", new JsonObject().put("RepositoryType", "S3").put("Location",
            ctx.baseUrl() + "/_eventplane/lambda/code/" + f.accountId() + "/" + f.name() + "?region=" + f.region() + "&sha="
                + CodePackage.directoryName(f.codeSha256())));
    if (!f.tags().isEmpty()) {
      JsonObject tags = new JsonObject();
      f.tags().forEach(tags::put);
      out.put("Tags", tags);
    }
    if (f.reservedConcurrency() != null) {
      out.put("Concurrency", new JsonObject().put("ReservedConcurrentExecutions", f.reservedConcurrency()));
    }
    return Future.succeededFuture(out);
  }

  private Future<JsonObject> updateCode(JsonObject in, RequestContext ctx) {
    Function before = require(in, ctx);
    checkRevision(in, before);
    if (in.getValue("ImageUri") != null) {
      throw FunctionErrors.invalid("Please don't provide ImageUri when updating a function with packageType Zip.");
    }
    String architecture = FunctionInputs.architectureOr(in, before.architecture());
    return code.packageOf(in, "", ctx).compose(pkg -> {
      // The function may have changed or gone while its package was fetched: the update applies to what is there now.
      Function f = require(in, ctx);
      checkRevision(in, f);
      return replaceCode(f, pkg, architecture, Boolean.TRUE.equals(in.getBoolean("DryRun")));
    });
  }

  private Future<JsonObject> replaceCode(Function f, CodePackage pkg, String architecture, boolean dryRun) {
    Function next = new Function(f.accountId(), f.name(), f.region(), f.runtime(), f.role(), f.handler(),
        f.description(), f.timeoutSeconds(), f.memoryMb(), f.environment(), f.deadLetterTargetArn(), pkg.sha256(),
        pkg.zip().length, clock.millis(), UUID.randomUUID().toString(), architecture,
        f.ephemeralStorageMb(), f.tags(), f.reservedConcurrency(), Function.LATEST, f.lastPublished(), f.roleId());
    if (dryRun) return Future.succeededFuture(next.configuration(Function.View.UPDATED));
    return functions.put(next, pkg.zip()).map(saved -> saved.configuration(Function.View.UPDATED));
  }

  private Future<JsonObject> updateConfiguration(JsonObject in, RequestContext ctx) {
    Function before = require(in, ctx);
    checkRevision(in, before);
    String role = in.getValue("Role") == null ? before.role() : FunctionInputs.role(in);
    String runtimeIn = in.getValue("Runtime") == null ? null : FunctionInputs.runtime(FunctionInputs.string(in, "Runtime"));
    String handlerIn = in.getValue("Handler") == null ? null : FunctionInputs.handler(FunctionInputs.string(in, "Handler"));
    String descriptionIn = in.getValue("Description") == null ? null
        : FunctionInputs.description(FunctionInputs.string(in, "Description"));
    Integer timeoutIn = in.getValue("Timeout") == null ? null : FunctionInputs.timeout(in.getValue("Timeout"));
    Integer memoryIn = in.getValue("MemorySize") == null ? null : FunctionInputs.memorySize(in.getValue("MemorySize"));
    Map<String, String> envIn = FunctionInputs.environment(in);
    String dlqIn = FunctionInputs.deadLetterTarget(in);
    Integer storageIn = in.getValue("EphemeralStorage") == null ? null : FunctionInputs.ephemeralStorage(in);
    boolean sameRole = role.equals(before.role()) && before.roleId() != null;
    Future<String> roleId = sameRole ? Future.succeededFuture(before.roleId()) : roleIds.of(role, ctx);
    return roleId.compose(id -> {
      // The function may have changed while IAM was asked: the update applies to what is there now.
      Function f = sameRole ? before : require(in, ctx);
      if (!sameRole) checkRevision(in, f);
      String runtime = runtimeIn == null ? f.runtime() : runtimeIn;
      String handler = handlerIn == null ? f.handler() : handlerIn;
      String description = descriptionIn == null ? f.description() : descriptionIn;
      int timeout = timeoutIn == null ? f.timeoutSeconds() : timeoutIn;
      int memory = memoryIn == null ? f.memoryMb() : memoryIn;
      Map<String, String> env = orDefault(envIn, f.environment());
      String dlq = dlqIn == null ? f.deadLetterTargetArn() : emptyToNull(dlqIn);
      int storage = storageIn == null ? f.ephemeralStorageMb() : storageIn;
      Function next = new Function(f.accountId(), f.name(), f.region(), runtime, role, handler, description, timeout, memory,
          env, dlq, f.codeSha256(), f.codeSize(), clock.millis(), UUID.randomUUID().toString(), f.architecture(), storage,
          f.tags(), f.reservedConcurrency(), Function.LATEST, f.lastPublished(), id);
      return functions.put(next, null).map(saved -> saved.configuration(Function.View.UPDATED));
    });
  }

  private Future<JsonObject> delete(JsonObject in, RequestContext ctx) {
    FunctionName name = qualified(in, ctx);
    if (name.qualifier() != null && name.qualifier().chars().allMatch(Character::isDigit)) {
      Function latest = functions.require(new FunctionName(name.accountId(), name.region(), name.name(), null), ctx.region());
      return versions.deleteVersion(latest, name.qualifier(), ctx.region());
    }
    if (name.qualifier() != null && !Function.LATEST.equals(name.qualifier())) {
      throw FunctionErrors.invalid("Deletion of aliases is not supported by DeleteFunction; use DeleteAlias.");
    }
    if (name.qualifier() != null) {
      throw FunctionErrors.invalid("$LATEST version cannot be deleted without deleting the function.");
    }
    Function f = functions.require(name, ctx.region());
    return functions.delete(f).map(v -> {
      instances.retire(f.arn());
      return new JsonObject();
    });
  }

  private Future<JsonObject> invoke(JsonObject in, RequestContext ctx) {
    FunctionName invoked = qualified(in, ctx);
    Function f = functions.resolve(invoked, ctx.region(), true);
    String type = orDefault(in.getString("InvocationType"), "RequestResponse");
    String logType = orDefault(in.getString("LogType"), "None");
    if (!type.equals("RequestResponse") && !type.equals("Event") && !type.equals("DryRun")) {
      throw FunctionErrors.validation(type, "invocationType", "Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
    }
    if (!logType.equals("None") && !logType.equals("Tail")) {
      throw FunctionErrors.validation(logType, "logType", "Member must satisfy enum value set: [None, Tail]");
    }
    byte[] payload = in.getBinary("Payload", new byte[0]);
    Payloads.checkJson(payload);
    JsonObject out = new JsonObject().put("ExecutedVersion", f.version());
    switch (type) {
      case "DryRun":
        return Future.succeededFuture(out.put("StatusCode", 204));
      case "Event":
        Payloads.checkSize(payload, Payloads.MAX_ASYNC);
        return invoker.enqueue(f, ctx.requestId(), payload).map(v -> out.put("StatusCode", 202));
      default:
        Payloads.checkSize(payload, Payloads.MAX_SYNC);
        Invocation invocation = new Invocation(ctx.requestId(), payload, in.getString("ClientContext"), invoked.qualifier());
        return instances.invoke(f, invocation).map(result -> {
          out.put("StatusCode", 200).put("Payload", result.payload());
          if (result.failed()) out.put("FunctionError", result.functionError());
          if (logType.equals("Tail")) out.put("LogResult", result.logTail());
          return out;
        });
    }
  }

  private Future<JsonObject> putConcurrency(JsonObject in, RequestContext ctx) {
    Function f = require(in, ctx);
    Object value = in.getValue("ReservedConcurrentExecutions");
    if (value == null) throw FunctionErrors.validation("null", "reservedConcurrentExecutions", "Member must not be null");
    int reserved = FunctionInputs.range(value, "reservedConcurrentExecutions", 0, Integer.MAX_VALUE);
    if (reserved > ACCOUNT_CONCURRENCY - UNRESERVED_MINIMUM) {
      throw FunctionErrors.invalid("Specified ReservedConcurrentExecutions for function decreases account's "
          + "UnreservedConcurrentExecution below its minimum value of [" + UNRESERVED_MINIMUM + "].");
    }
    return functions.put(f.withReservedConcurrency(reserved), null)
        .map(saved -> new JsonObject().put("ReservedConcurrentExecutions", reserved));
  }

  private Future<JsonObject> getConcurrency(JsonObject in, RequestContext ctx) {
    Function f = require(in, ctx);
    JsonObject out = new JsonObject();
    if (f.reservedConcurrency() != null) out.put("ReservedConcurrentExecutions", f.reservedConcurrency());
    return Future.succeededFuture(out);
  }

  private Future<JsonObject> deleteConcurrency(JsonObject in, RequestContext ctx) {
    Function f = require(in, ctx);
    return functions.put(f.withReservedConcurrency(null), null).map(saved -> new JsonObject());
  }

  private Future<JsonObject> tag(JsonObject in, RequestContext ctx) {
    Function f = requireArn(in, ctx);
    Map<String, String> tags = new LinkedHashMap<>(f.tags());
    tags.putAll(FunctionInputs.tags(in));
    if (tags.size() > 50) throw FunctionErrors.invalid("A function can have at most 50 tags.");
    return functions.put(f.withTags(tags), null).map(saved -> new JsonObject());
  }

  private Future<JsonObject> untag(JsonObject in, RequestContext ctx) {
    Function f = requireArn(in, ctx);
    Map<String, String> tags = new LinkedHashMap<>(f.tags());
    JsonArray keys = in.getJsonArray("TagKeys", new JsonArray());
    for (Object k : keys) tags.remove(String.valueOf(k));
    return functions.put(f.withTags(tags), null).map(saved -> new JsonObject());
  }

  private Future<JsonObject> listTags(JsonObject in, RequestContext ctx) {
    Function f = requireArn(in, ctx);
    JsonObject tags = new JsonObject();
    f.tags().forEach(tags::put);
    return Future.succeededFuture(new JsonObject().put("Tags", tags));
  }

  private Function requireArn(JsonObject in, RequestContext ctx) {
    String arn = in.getString("Resource");
    if (arn == null || !arn.startsWith("arn:")) {
      throw FunctionErrors.invalid("1 validation error detected: Value '" + arn + "' at 'resource' failed to satisfy constraint: "
          + "Member must be a function ARN");
    }
    return functions.require(FunctionName.parse(arn, "resource", ctx.accountId(), ctx.region()), ctx.region());
  }

  private Function require(ApiRequest request) {
    return require(request.input(), request.context());
  }

  /** $LATEST of the function the request names; any other qualifier is ResourceNotFoundException. */
  private Function require(JsonObject in, RequestContext ctx) {
    return functions.require(qualified(in, ctx), ctx.region());
  }

  /** The version the request names (FunctionName's qualifier or the Qualifier member), for reading or invoking. */
  private Function resolve(JsonObject in, RequestContext ctx, boolean route) {
    return functions.resolve(qualified(in, ctx), ctx.region(), route);
  }

  private static FunctionName qualified(JsonObject in, RequestContext ctx) {
    FunctionName name = FunctionName.parse(in.getString("FunctionName"), "functionName", ctx.accountId(), ctx.region());
    String qualifier = FunctionInputs.string(in, "Qualifier");
    if (qualifier != null && name.qualifier() != null && !qualifier.equals(name.qualifier())) {
      throw FunctionErrors.invalid("The derived qualifier from the function name does not match the specified qualifier.");
    }
    if (qualifier != null && name.qualifier() == null) {
      name = new FunctionName(name.accountId(), name.region(), name.name(), qualifier);
    }
    return name;
  }

  private static void checkRevision(JsonObject in, Function f) {
    String revision = in.getString("RevisionId");
    if (revision != null && !revision.equals(f.revisionId())) throw FunctionErrors.preconditionFailed();
  }

  private static <T> T orDefault(T value, T otherwise) {
    return value == null ? otherwise : value;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
