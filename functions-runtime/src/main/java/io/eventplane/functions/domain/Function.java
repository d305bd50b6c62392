package io.eventplane.functions.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A function's $LATEST: its configuration and the identity of its code. Immutable; every change
 * makes a new one with a new revision id, which is also what tells warm instances they are stale.
 *
 * @param environment the Environment.Variables, in the order given
 * @param deadLetterTargetArn the DeadLetterConfig.TargetArn, or null
 * @param reservedConcurrency PutFunctionConcurrency's value, or null when unreserved
 * @param version {@code $LATEST}, or the number of a published version (an immutable copy)
 * @param lastPublished the highest version number published so far (numbers are never reused)
 * @param roleId the execution role's id (its sessions' UserId is {@code roleId:function}), as IAM
 *     answered when the role was set; null when IAM did not know the role
 */
public record Function(String accountId, String name, String region, String runtime, String role, String handler,
    String description, int timeoutSeconds, int memoryMb, Map<String, String> environment, String deadLetterTargetArn,
    String codeSha256, long codeSize, long lastModified, String revisionId, String architecture, int ephemeralStorageMb,
    Map<String, String> tags, Integer reservedConcurrency, String version, int lastPublished, String roleId) {
  public static final String LATEST = "$LATEST";
  private static final DateTimeFormatter LAST_MODIFIED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);

  public Function {
    environment = Map.copyOf(new LinkedHashMap<>(environment));
    tags = Map.copyOf(tags);
    if (version == null) version = LATEST;
  }

  /** The function's ARN, without qualifier. */
  public String arn() {
    return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
  }

  /** The ARN of this version: unqualified for $LATEST, {@code ...:function:name:3} for version 3. */
  public String versionArn() {
    return isLatest() ? arn() : arn() + ":" + version;
  }

  public boolean isLatest() {
    return LATEST.equals(version);
  }

  /** The published version {@code number} of this $LATEST: the same code and configuration, frozen. */
  public Function publish(int number, String description, long now, String newRevisionId) {
    return new Function(accountId, name, region, runtime, role, handler, description, timeoutSeconds, memoryMb,
        environment, deadLetterTargetArn, codeSha256, codeSize, now, newRevisionId, architecture, ephemeralStorageMb,
        Map.of(), null, Integer.toString(number), 0, roleId);
  }

  /** This $LATEST after publishing version {@code number}. */
  public Function withLastPublished(int number) {
    return new Function(accountId, name, region, runtime, role, handler, this.description, timeoutSeconds, memoryMb,
        environment, deadLetterTargetArn, codeSha256, codeSize, lastModified, revisionId, architecture,
        ephemeralStorageMb, tags, reservedConcurrency, version, number, roleId);
  }

  /** Whether a version publishes exactly this code and configuration (then PublishVersion makes no new one). */
  public boolean sameAs(Function other) {
    return codeSha256.equals(other.codeSha256) && java.util.Objects.equals(runtime, other.runtime)
        && role.equals(other.role) && java.util.Objects.equals(handler, other.handler) && timeoutSeconds == other.timeoutSeconds
        && memoryMb == other.memoryMb && environment.equals(other.environment)
        && java.util.Objects.equals(deadLetterTargetArn, other.deadLetterTargetArn)
        && architecture.equals(other.architecture) && ephemeralStorageMb == other.ephemeralStorageMb;
  }

  public FunctionName reference() {
    return new FunctionName(accountId, region, name, null);
  }

  public boolean isJava() {
    return runtime != null && runtime.startsWith("java");
  }

  /**
   * Which answer a FunctionConfiguration is part of: Lambda reports the function's state
   * differently in each (recorded against AWS: a create answers {@code Pending}, an update
   * {@code InProgress}, reads {@code Active}/{@code Successful}, listings neither).
   */
  public enum View {
    /** CreateFunction's answer: State Pending with its reason, no LastUpdateStatus. */
    CREATED,
    /** UpdateFunctionConfiguration's and UpdateFunctionCode's answer: LastUpdateStatus InProgress with its reason. */
    UPDATED,
    /** GetFunction, GetFunctionConfiguration, PublishVersion: State Active, LastUpdateStatus Successful. */
    CURRENT,
    /** An item of ListFunctions or ListVersionsByFunction: no State and no LastUpdateStatus. */
    LISTED
  }

  private static final String CREATING_REASON = "The function is being created.";

  /** The FunctionConfiguration shape of the API reference, as GetFunctionConfiguration answers it. */
  public JsonObject configuration() {
    return configuration(View.CURRENT);
  }

  /** The FunctionConfiguration shape of the API reference, as the answer of {@code view} carries it. */
  public JsonObject configuration(View view) {
    JsonObject out = new JsonObject()
        .put("FunctionName", name)
        .put("FunctionArn", versionArn())
        .put("Runtime", runtime)
        .put("Role", role)
        .put("Handler", handler)
        .put("CodeSize", codeSize)
        .put("Description", description)
        .put("Timeout", timeoutSeconds)
        .put("MemorySize", memoryMb)
        .put("LastModified", LAST_MODIFIED.format(Instant.ofEpochMilli(lastModified)))
        .put("CodeSha256", codeSha256)
        .put("Version", version)
        .put("TracingConfig", new JsonObject().put("Mode", "PassThrough"))
        .put("RevisionId", revisionId)
        .put("PackageType", "Zip")
        .put("Architectures", new JsonArray().add(architecture))
        .put("EphemeralStorage", new JsonObject().put("Size", ephemeralStorageMb))
        .put("SnapStart", new JsonObject().put("ApplyOn", "None").put("OptimizationStatus", "Off"))
        .put("LoggingConfig", new JsonObject().put("LogFormat", "Text").put("LogGroup", "/aws/lambda/" + name));
    if (!environment.isEmpty()) {
      JsonObject vars = new JsonObject();
      environment.forEach(vars::put);
      out.put("Environment", new JsonObject().put("Variables", vars));
    }
    if (deadLetterTargetArn != null) out.put("DeadLetterConfig", new JsonObject().put("TargetArn", deadLetterTargetArn));
    if (view != View.LISTED && runtime != null) {
      out.put("RuntimeVersionConfig", new JsonObject().put("RuntimeVersionArn", runtimeVersionArn(region, runtime)));
    }
    switch (view) {
      case CREATED -> out.put("State", "Pending").put("StateReason", CREATING_REASON).put("StateReasonCode", "Creating");
      case UPDATED -> out.put("State", "Active").put("LastUpdateStatus", "InProgress")
          .put("LastUpdateStatusReason", CREATING_REASON).put("LastUpdateStatusReasonCode", "Creating");
      case CURRENT -> out.put("State", "Active").put("LastUpdateStatus", "Successful");
      case LISTED -> { }
    }
    return out;
  }

  /**
   * The runtime version a function runs, as Lambda names it ({@code arn:aws:lambda:<region>::runtime:<64 hex>}):
   * Eventplane has one version per runtime identifier, so the hex is the SHA-256 of the identifier.
   */
  static String runtimeVersionArn(String region, String runtime) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest(runtime.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "arn:aws:lambda:" + region + "::runtime:" + java.util.HexFormat.of().formatHex(hash);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public JsonObject toJson() {
    JsonObject env = new JsonObject();
    environment.forEach(env::put);
    JsonObject t = new JsonObject();
    tags.forEach(t::put);
    return new JsonObject().put("accountId", accountId).put("name", name).put("region", region).put("runtime", runtime)
        .put("role", role).put("handler", handler).put("description", description).put("timeout", timeoutSeconds)
        .put("memory", memoryMb).put("environment", env).put("dlq", deadLetterTargetArn).put("codeSha256", codeSha256)
        .put("codeSize", codeSize).put("lastModified", lastModified).put("revisionId", revisionId)
        .put("architecture", architecture).put("ephemeralStorage", ephemeralStorageMb).put("tags", t)
        .put("reservedConcurrency", reservedConcurrency).put("version", version).put("lastPublished", lastPublished)
        .put("roleId", roleId);
  }

  public static Function fromJson(JsonObject j) {
    Map<String, String> env = new LinkedHashMap<>();
    j.getJsonObject("environment", new JsonObject()).forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue())));
    Map<String, String> tags = new LinkedHashMap<>();
    j.getJsonObject("tags", new JsonObject()).forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
    return new Function(j.getString("accountId"), j.getString("name"), j.getString("region"), j.getString("runtime"),
        j.getString("role"), j.getString("handler"), j.getString("description", ""), j.getInteger("timeout"),
        j.getInteger("memory"), env, j.getString("dlq"), j.getString("codeSha256"), j.getLong("codeSize"),
        j.getLong("lastModified"), j.getString("revisionId"), j.getString("architecture", "x86_64"),
        j.getInteger("ephemeralStorage", 512), tags, j.getInteger("reservedConcurrency"), j.getString("version", LATEST),
        j.getInteger("lastPublished", 0), j.getString("roleId"));
  }

  public Function withReservedConcurrency(Integer value) {
    return new Function(accountId, name, region, runtime, role, handler, description, timeoutSeconds, memoryMb,
        environment, deadLetterTargetArn, codeSha256, codeSize, lastModified, revisionId, architecture,
        ephemeralStorageMb, tags, value, version, lastPublished, roleId);
  }

  public Function withTags(Map<String, String> value) {
    return new Function(accountId, name, region, runtime, role, handler, description, timeoutSeconds, memoryMb,
        environment, deadLetterTargetArn, codeSha256, codeSize, lastModified, revisionId, architecture,
        ephemeralStorageMb, value, reservedConcurrency, version, lastPublished, roleId);
  }
}
