package io.eventplane.identity.policy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An IAM policy document (identity-based, resource-based or a role's trust policy), validated with
 * IAM's MalformedPolicyDocument messages and compiled once: wildcard matchers for actions
 * (case-insensitive) and resources (case-sensitive), condition operators with parsed values, and
 * policy variables kept as tokens resolved per request. Version 2008-10-17 (or no Version) takes
 * {@code ${...}} literally, as IAM does. Immutable; evaluate from any thread.
 */
public final class PolicyDocument {
  /** What a document is for: which elements it must and must not have. */
  public enum Kind {
    /** Attached to a user, group or role: Version 2012-10-17, Resource required, no Principal. */
    IDENTITY,
    /** Attached to a resource (queue, topic, bucket, function, bus): Principal and Resource required. */
    RESOURCE,
    /** A role's trust policy: Principal required, no Resource. */
    TRUST
  }

  static final String INVALID_JSON = "This policy contains invalid Json";
  static final String SYNTAX = "Syntax errors in policy.";
  static final String VERSION = "Policy document must be version 2012-10-17 or greater.";
  static final String LEGACY = "The policy failed legacy parsing";
  static final String SIDS = "Statement IDs (SID) in a single policy must be unique.";
  static final String NO_ACTIONS = "Policy statement must contain actions.";
  static final String NO_RESOURCES = "Policy statement must contain resources.";
  static final String HAS_PRINCIPAL = "Policy document should not specify a principal.";
  static final String NO_PRINCIPAL = "Missing required field Principal";
  static final String HAS_RESOURCE = "Has prohibited field Resource";
  static final String NO_VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
  static final String ONE_COLON = "Actions/Condition can contain only one colon.";

  private static final Set<String> TOP = Set.of("Version", "Id", "Statement");
  private static final Set<String> ELEMENTS = Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
      "Principal", "NotPrincipal", "Condition");

  private final String version;
  private final String id;
  private final List<Statement> statements;
  private final boolean anyDeny;
  private final boolean contextFree;

  private PolicyDocument(String version, String id, List<Statement> statements) {
    this.version = version;
    this.id = id;
    this.statements = List.copyOf(statements);
    this.anyDeny = statements.stream().anyMatch(s -> s.effect() == Statement.Effect.DENY);
    this.contextFree = statements.stream().allMatch(Statement::contextFree);
  }

  /** Parses a document with any of IAM's shapes (Principal allowed, Version 2008-10-17 or 2012-10-17). */
  public static PolicyDocument parse(String json) {
    return parse(json, null);
  }

  /** Parses a document, holding it to the rules of its kind. */
  public static PolicyDocument parse(String json, Kind kind) {
    JsonObject doc;
    try {
      doc = new JsonObject(json);
    } catch (RuntimeException e) {
      throw new MalformedPolicyDocumentException(INVALID_JSON);
    }
    return new Parser(doc, kind).parse();
  }

  /** The Version element, or null when the document has none (IAM then reads it as 2008-10-17). */
  public String version() {
    return version;
  }

  public String id() {
    return id;
  }

  public List<Statement> statements() {
    return statements;
  }

  /**
   * Whether every statement applies by action and resource alone (no conditions, no policy variables,
   * no principals): an identity evaluation of such policies depends on nothing else of the request, so
   * its answer for an action and resource may be remembered.
   */
  public boolean contextFree() {
    return contextFree;
  }

  boolean hasDeny() {
    return anyDeny;
  }

  private static final class Parser {
    private final JsonObject doc;
    private final Kind kind;
    private final List<JsonObject> raw = new ArrayList<>();

    Parser(JsonObject doc, Kind kind) {
      this.doc = doc;
      this.kind = kind;
    }

    PolicyDocument parse() {
      syntax();
      String version = (String) doc.getValue("Version");
      if (kind == Kind.IDENTITY && !"2012-10-17".equals(version)) throw malformed(VERSION);
      for (JsonObject s : raw) legacy(s);
      Set<String> sids = new HashSet<>();
      for (JsonObject s : raw) {
        String sid = (String) s.getValue("Sid");
        if (sid != null && !sid.isEmpty() && !sids.add(sid)) throw malformed(SIDS);
      }
      for (JsonObject s : raw) {
        if (!present(s, "Action") && !present(s, "NotAction")) throw malformed(NO_ACTIONS);
      }
      for (JsonObject s : raw) {
        boolean resource = s.containsKey("Resource") || s.containsKey("NotResource");
        if (kind == Kind.TRUST && resource) throw malformed(HAS_RESOURCE);
        if ((kind == Kind.IDENTITY || kind == Kind.RESOURCE)
            && !present(s, "Resource") && !present(s, "NotResource")) {
          throw malformed(NO_RESOURCES);
        }
        boolean principal = s.containsKey("Principal") || s.containsKey("NotPrincipal");
        if (kind == Kind.IDENTITY && principal) throw malformed(HAS_PRINCIPAL);
        if ((kind == Kind.RESOURCE || kind == Kind.TRUST) && !principal) throw malformed(NO_PRINCIPAL);
      }
      for (JsonObject s : raw) {
        for (String r : strings(s, "Resource")) resourceFormat(r);
        for (String r : strings(s, "NotResource")) resourceFormat(r);
      }
      for (JsonObject s : raw) {
        for (String a : strings(s, "Action")) actionFormat(a);
        for (String a : strings(s, "NotAction")) actionFormat(a);
      }
      boolean variables = "2012-10-17".equals(version);
      List<Statement> statements = new ArrayList<>(raw.size());
      for (int i = 0; i < raw.size(); i++) statements.add(compile(i, raw.get(i), variables));
      return new PolicyDocument(version, (String) doc.getValue("Id"), statements);
    }

    /** IAM's first pass: shapes and types ("Syntax errors in policy."). */
    private void syntax() {
      for (String field : doc.fieldNames()) if (!TOP.contains(field)) throw malformed(SYNTAX);
      Object version = doc.getValue("Version");
      if (version != null && !"2012-10-17".equals(version) && !"2008-10-17".equals(version)) throw malformed(SYNTAX);
      if (doc.containsKey("Id") && !(doc.getValue("Id") instanceof String)) throw malformed(SYNTAX);
      Object statement = doc.getValue("Statement");
      if (statement instanceof JsonObject o) {
        raw.add(o);
      } else if (statement instanceof JsonArray a) {
        for (Object o : a) {
          if (!(o instanceof JsonObject s)) throw malformed(SYNTAX);
          raw.add(s);
        }
      } else {
        throw malformed(SYNTAX);
      }
      if (raw.isEmpty()) throw malformed(SYNTAX);
      for (JsonObject s : raw) statementSyntax(s);
    }

    private void statementSyntax(JsonObject s) {
      for (String field : s.fieldNames()) if (!ELEMENTS.contains(field)) throw malformed(SYNTAX);
      if (s.containsKey("Action") && s.containsKey("NotAction")) throw malformed(SYNTAX);
      if (s.containsKey("Resource") && s.containsKey("NotResource")) throw malformed(SYNTAX);
      if (s.containsKey("Principal") && s.containsKey("NotPrincipal")) throw malformed(SYNTAX);
      if (!(s.getValue("Effect") instanceof String effect)
          || !(effect.equalsIgnoreCase("Allow") || effect.equalsIgnoreCase("Deny"))) {
        throw malformed(SYNTAX);
      }
      if (s.containsKey("Sid") && !(s.getValue("Sid") instanceof String)) throw malformed(SYNTAX);
      for (String element : List.of("Action", "NotAction", "Resource", "NotResource")) stringOrStrings(s, element);
      for (String element : List.of("Principal", "NotPrincipal")) {
        Object p = s.getValue(element);
        if (p == null && !s.containsKey(element)) continue;
        if (p instanceof String text) {
          if (!text.equals("*")) throw malformed(SYNTAX);
        } else if (p instanceof JsonObject o) {
          for (Map.Entry<String, Object> e : o) {
            if (!(e.getValue() instanceof String) && !(e.getValue() instanceof JsonArray)) throw malformed(SYNTAX);
          }
        } else {
          throw malformed(SYNTAX);
        }
      }
      if (s.containsKey("Condition")) {
        if (!(s.getValue("Condition") instanceof JsonObject condition)) throw malformed(SYNTAX);
        for (Map.Entry<String, Object> block : condition) {
          if (!(block.getValue() instanceof JsonObject keys)) throw malformed(SYNTAX);
          for (Map.Entry<String, Object> key : keys) {
            Object v = key.getValue();
            if (v instanceof JsonArray a) {
              for (Object item : a) if (!scalar(item)) throw malformed(SYNTAX);
            } else if (!scalar(v)) {
              throw malformed(SYNTAX);
            }
          }
          if (!keys.isEmpty() && Condition.compile(block.getKey(), "k", List.of(), false) == null) {
            throw malformed(SYNTAX);
          }
        }
      }
    }

    /**
     * IAM's "legacy parsing": the Effect's exact case, ARN-like resources with an empty vendor, and the
     * Date operators' values.
     */
    private void legacy(JsonObject s) {
      String effect = s.getString("Effect");
      if (!effect.equals("Allow") && !effect.equals("Deny")) throw malformed(LEGACY);
      for (String element : List.of("Resource", "NotResource")) {
        for (String r : strings(s, element)) {
          if (r.equals("*")) continue;
          String[] parts = r.split(":", -1);
          if ((parts.length < 6 && r.contains("::")) || (parts.length > 2 && parts[2].isEmpty())) throw malformed(LEGACY);
        }
      }
      JsonObject condition = s.getJsonObject("Condition");
      if (condition == null) return;
      for (Map.Entry<String, Object> block : condition) {
        String operator = block.getKey().substring(block.getKey().indexOf(':') + 1);
        if (!operator.startsWith("Date")) continue;
        for (Map.Entry<String, Object> key : (JsonObject) block.getValue()) {
          Object v = key.getValue();
          for (Object date : v instanceof JsonArray a ? a.getList() : List.of(v)) {
            if (PolicyDates.parse(String.valueOf(date)) == PolicyDates.INVALID) throw malformed(LEGACY);
          }
        }
      }
    }

    /** The first resource format fault, worded as IAM words it (reported after the other checks). */
    private static void resourceFormat(String resource) {
      if (resource.equals("*")) return;
      int colon = resource.indexOf(':');
      if (colon < 0) throw malformed("Resource " + resource + " must be in ARN format or \"*\".");
      String[] rest = resource.substring(colon + 1).split(":", -1);
      String partition = rest[0];
      if (!partition.equals("aws") && !partition.equals("aws-cn") && !partition.equals("aws-us-gov")) {
        String[] arn = {"*", "*", "*", "*"};
        for (int i = 1; i < rest.length && i <= 3; i++) arn[i - 1] = rest[i];
        if (rest.length > 4) arn[3] = String.join(":", java.util.Arrays.copyOfRange(rest, 4, rest.length));
        if (rest.length == 2 && rest[1].isEmpty()) arn[0] = "*";
        throw malformed("Partition \"" + partition + "\" is not valid for resource \"arn:" + partition + ":" + arn[0] + ":"
            + arn[1] + ":" + arn[2] + ":" + arn[3] + "\".");
      }
      if (rest.length < 2) throw malformed("Resource vendor must be fully qualified and cannot contain regexes.");
      String vendor = rest[1];
      boolean region = rest.length > 2 && !rest[2].isEmpty();
      if (vendor.equals("iam") && region) {
        throw malformed("IAM resource " + resource + " cannot contain region information.");
      }
      if (vendor.equals("s3") && region) {
        throw malformed("Resource " + resource + " can not contain region information.");
      }
    }

    private static void actionFormat(String action) {
      if (action.equals("*")) return;
      int colon = action.indexOf(':');
      if (colon < 0) throw malformed(NO_VENDOR);
      if (action.indexOf(':', colon + 1) >= 0) throw malformed(ONE_COLON);
      String vendor = action.substring(0, colon);
      for (int i = 0; i < vendor.length(); i++) {
        char c = vendor.charAt(i);
        if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '.') {
          throw malformed("Vendor " + vendor + " is not valid");
        }
      }
    }

    private Statement compile(int index, JsonObject s, boolean variables) {
      Statement.Effect effect = s.getString("Effect").equals("Allow") ? Statement.Effect.ALLOW : Statement.Effect.DENY;
      boolean notAction = s.containsKey("NotAction");
      List<Wildcard> actions = new ArrayList<>();
      for (String a : strings(s, notAction ? "NotAction" : "Action")) actions.add(Wildcard.compile(a, true, false, true));
      boolean notResource = s.containsKey("NotResource");
      List<Wildcard> resources = null;
      if (notResource || s.containsKey("Resource")) {
        resources = new ArrayList<>();
        for (String r : strings(s, notResource ? "NotResource" : "Resource")) {
          resources.add(Wildcard.compile(r, true, variables, false));
        }
      }
      boolean notPrincipal = s.containsKey("NotPrincipal");
      PrincipalSet principals = null;
      if (notPrincipal || s.containsKey("Principal")) principals = principals(s.getValue(notPrincipal ? "NotPrincipal" : "Principal"));
      List<Condition> conditions = new ArrayList<>();
      JsonObject condition = s.getJsonObject("Condition");
      if (condition != null) {
        for (Map.Entry<String, Object> block : condition) {
          for (Map.Entry<String, Object> key : (JsonObject) block.getValue()) {
            List<String> values = new ArrayList<>();
            if (key.getValue() instanceof JsonArray a) {
              for (Object v : a) values.add(String.valueOf(v));
            } else {
              values.add(String.valueOf(key.getValue()));
            }
            conditions.add(Condition.compile(block.getKey(), key.getKey(), values, variables));
          }
        }
      }
      return new Statement(index, (String) s.getValue("Sid"), effect, actions, notAction, resources, notResource,
          principals, notPrincipal, conditions);
    }

    private static PrincipalSet principals(Object value) {
      if (value instanceof String) return PrincipalSet.everyone();
      PrincipalSet.Builder b = new PrincipalSet.Builder();
      for (Map.Entry<String, Object> e : (JsonObject) value) {
        List<String> values = new ArrayList<>();
        if (e.getValue() instanceof JsonArray a) {
          for (Object v : a) values.add(String.valueOf(v));
        } else {
          values.add((String) e.getValue());
        }
        for (String v : values) {
          boolean ok = switch (e.getKey()) {
            case "AWS" -> b.aws(v);
            case "Service" -> b.service(v);
            case "Federated" -> b.federated(v);
            case "CanonicalUser" -> true;
            default -> false;
          };
          if (!ok) throw malformed("Invalid principal in policy: \"" + e.getKey() + "\":\"" + v + "\"");
        }
      }
      return b.build();
    }

    private static void stringOrStrings(JsonObject s, String element) {
      if (!s.containsKey(element)) return;
      Object v = s.getValue(element);
      if (v instanceof String) return;
      if (!(v instanceof JsonArray a)) throw malformed(SYNTAX);
      for (Object item : a) if (!(item instanceof String)) throw malformed(SYNTAX);
    }

    private static boolean present(JsonObject s, String element) {
      Object v = s.getValue(element);
      return v instanceof String || (v instanceof JsonArray a && !a.isEmpty());
    }

    private static boolean scalar(Object v) {
      return v instanceof String || v instanceof Number || v instanceof Boolean;
    }

    private static List<String> strings(JsonObject s, String element) {
      Object v = s.getValue(element);
      if (v instanceof String text) return List.of(text);
      if (v instanceof JsonArray a) {
        List<String> out = new ArrayList<>(a.size());
        for (Object o : a) out.add((String) o);
        return out;
      }
      return List.of();
    }

    private static MalformedPolicyDocumentException malformed(String message) {
      return new MalformedPolicyDocumentException(message);
    }
  }
}
