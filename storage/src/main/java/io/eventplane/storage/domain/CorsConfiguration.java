package io.eventplane.storage.domain;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A bucket's CORS rules, validated as PutBucketCors validates them, and matched as S3 matches a
 * browser's requests: the first rule whose origin, method (and, for a preflight, every requested
 * header) match decides the answer. Origins compare case-sensitively, header names do not; each
 * pattern may hold one {@code *}, which matches any run of characters, the empty one too.
 */
public record CorsConfiguration(List<Rule> rules) {
  public static final int MAX_RULES = 100;
  public static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "HEAD");
  /** What S3 varies a CORS answer on. */
  public static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

  /** One CORSRule; {@code id} and {@code maxAgeSeconds} may be null. */
  public record Rule(String id, List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
      List<String> exposeHeaders, Integer maxAgeSeconds) {
    public Rule {
      allowedOrigins = List.copyOf(allowedOrigins);
      allowedMethods = List.copyOf(allowedMethods);
      allowedHeaders = List.copyOf(allowedHeaders);
      exposeHeaders = List.copyOf(exposeHeaders);
    }

    boolean allowsOrigin(String origin) {
      for (String pattern : allowedOrigins) if (wildcard(pattern, origin, false)) return true;
      return false;
    }

    boolean allowsHeader(String header) {
      for (String pattern : allowedHeaders) if (wildcard(pattern.trim(), header, true)) return true;
      return false;
    }

    /** The Access-Control-Allow-Origin a matched request gets: {@code *} when the rule allows every origin. */
    String allowOrigin(String origin) {
      return allowedOrigins.contains("*") ? "*" : origin;
    }

    JsonObject toJson() {
      JsonObject j = new JsonObject();
      if (id != null) j.put("ID", id);
      j.put("AllowedMethods", new JsonArray(new ArrayList<>(allowedMethods)))
          .put("AllowedOrigins", new JsonArray(new ArrayList<>(allowedOrigins)));
      if (!allowedHeaders.isEmpty()) j.put("AllowedHeaders", new JsonArray(new ArrayList<>(allowedHeaders)));
      if (maxAgeSeconds != null) j.put("MaxAgeSeconds", maxAgeSeconds);
      if (!exposeHeaders.isEmpty()) j.put("ExposeHeaders", new JsonArray(new ArrayList<>(exposeHeaders)));
      return j;
    }
  }

  public CorsConfiguration {
    rules = List.copyOf(rules);
  }

  /**
   * The configuration a PutBucketCors input gives ({@code CORSRules}, as the API's JSON has it):
   * MalformedXML for what the schema refuses (no rule, over 100, a rule without origin or method,
   * a MaxAgeSeconds that is no 32-bit count, an ID over 255 characters), then InvalidRequest for
   * what S3 checks of the values, in S3's order.
   */
  public static CorsConfiguration parse(JsonObject given) {
    if (given == null) throw S3Errors.malformedXml();
    JsonArray list = given.getJsonArray("CORSRules");
    if (list == null || list.isEmpty() || list.size() > MAX_RULES) throw S3Errors.malformedXml();
    List<Rule> rules = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof JsonObject r)) throw S3Errors.malformedXml();
      List<String> origins = strings(r.getJsonArray("AllowedOrigins"));
      List<String> methods = strings(r.getJsonArray("AllowedMethods"));
      if (origins.isEmpty() || methods.isEmpty()) throw S3Errors.malformedXml();
      String id = r.getValue("ID") == null ? null : String.valueOf(r.getValue("ID"));
      if (id != null && id.length() > 255) throw S3Errors.malformedXml();
      Integer maxAge = null;
      Object age = r.getValue("MaxAgeSeconds");
      if (age != null) {
        try {
          long n = Long.parseLong(String.valueOf(age).trim());
          if (n < 0 || n > Integer.MAX_VALUE) throw S3Errors.malformedXml();
          maxAge = (int) n;
        } catch (NumberFormatException e) {
          throw S3Errors.malformedXml();
        }
      }
      rules.add(new Rule(id, origins, methods, strings(r.getJsonArray("AllowedHeaders")),
          strings(r.getJsonArray("ExposeHeaders")), maxAge));
    }
    for (Rule rule : rules) {
      for (String m : rule.allowedMethods()) {
        if (!METHODS.contains(m)) {
          throw S3Errors.invalidRequest("Found unsupported HTTP method in CORS config. Unsupported method is " + m);
        }
      }
      for (String origin : rule.allowedOrigins()) {
        if (wildcards(origin) > 1) {
          throw S3Errors.invalidRequest("AllowedOrigin \"" + origin + "\" can not have more than one wildcard.");
        }
      }
      for (String header : rule.allowedHeaders()) {
        if (wildcards(header) > 1) {
          throw S3Errors.invalidRequest("AllowedHeader \"" + header + "\" can not have more than one wildcard.");
        }
      }
      for (String header : rule.exposeHeaders()) {
        if (wildcards(header) > 0) {
          throw S3Errors.invalidRequest("ExposeHeader \"" + header
              + "\" contains wildcard. We currently do not support wildcard for ExposeHeader.");
        }
      }
    }
    return new CorsConfiguration(rules);
  }

  /** The stored form, also GetBucketCors's output: {@code {"CORSRules": [...]}}. */
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    rules.forEach(r -> list.add(r.toJson()));
    return new JsonObject().put("CORSRules", list);
  }

  /**
   * A preflight's answer headers, in S3's order, or null when no rule allows the origin, the
   * method and every requested header together.
   *
   * @param requestHeaders the names Access-Control-Request-Headers lists, lower-cased
   */
  public JsonObject preflight(String origin, String method, List<String> requestHeaders) {
    for (Rule rule : rules) {
      if (!rule.allowsOrigin(origin) || !rule.allowedMethods().contains(method)) continue;
      if (!requestHeaders.stream().allMatch(rule::allowsHeader)) continue;
      return headers(rule, origin, requestHeaders);
    }
    return null;
  }

  /** The headers an actual (not preflight) request from {@code origin} gets, or null: its headers are not checked. */
  public JsonObject actual(String origin, String method) {
    for (Rule rule : rules) {
      if (rule.allowsOrigin(origin) && rule.allowedMethods().contains(method)) return headers(rule, origin, List.of());
    }
    return null;
  }

  private static JsonObject headers(Rule rule, String origin, List<String> requestHeaders) {
    JsonObject h = new JsonObject();
    String allowOrigin = rule.allowOrigin(origin);
    h.put("Access-Control-Allow-Origin", allowOrigin);
    h.put("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods()));
    if (!requestHeaders.isEmpty()) h.put("Access-Control-Allow-Headers", String.join(", ", requestHeaders));
    if (!rule.exposeHeaders().isEmpty()) h.put("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders()));
    if (rule.maxAgeSeconds() != null) h.put("Access-Control-Max-Age", String.valueOf(rule.maxAgeSeconds()));
    // Credentials may travel only to a named origin: browsers refuse them with a literal *.
    if (!allowOrigin.equals("*")) h.put("Access-Control-Allow-Credentials", "true");
    h.put("Vary", VARY);
    return h;
  }

  /** Access-Control-Request-Headers as a list of lower-cased names, blanks dropped. */
  public static List<String> requestHeaders(String header) {
    List<String> out = new ArrayList<>();
    if (header == null) return out;
    for (String name : header.split(",")) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      if (!n.isEmpty()) out.add(n);
    }
    return out;
  }

  public static CorsConfiguration fromJson(JsonObject stored) {
    return stored == null ? null : parse(stored);
  }

  private static boolean wildcard(String pattern, String value, boolean ignoreCase) {
    Objects.requireNonNull(value);
    String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
    String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    int star = p.indexOf('*');
    if (star < 0) return p.equals(v);
    String prefix = p.substring(0, star);
    String suffix = p.substring(star + 1);
    return v.length() >= prefix.length() + suffix.length() && v.startsWith(prefix) && v.endsWith(suffix);
  }

  private static int wildcards(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) == '*') n++;
    return n;
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    if (a != null) for (Object o : a) out.add(o == null ? "" : String.valueOf(o));
    return out;
  }
}
