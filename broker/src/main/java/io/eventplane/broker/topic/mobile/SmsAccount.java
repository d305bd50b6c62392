package io.eventplane.broker.topic.mobile;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An account's SMS settings in one region: the SetSMSAttributes values, the numbers that opted
 * out, and the SMS sandbox's destination numbers with their status ({@code Pending} until verified
 * with the one-time password, which is recorded as a sent SMS, not sent).
 */
public final class SmsAccount {
  /** A sandbox destination number. */
  public static final class SandboxNumber {
    String status;
    final String password;

    SandboxNumber(String status, String password) {
      this.status = status;
      this.password = password;
    }

    public String status() {
      return status;
    }

    public String password() {
      return password;
    }

    public void verify() {
      status = "Verified";
    }
  }

  private final String account;
  private final String region;
  private final Map<String, String> attributes = new TreeMap<>();
  private final TreeSet<String> optedOut = new TreeSet<>();
  private final Map<String, SandboxNumber> sandbox = new LinkedHashMap<>();

  public SmsAccount(String account, String region) {
    this.account = account;
    this.region = region;
  }

  public String account() {
    return account;
  }

  public String region() {
    return region;
  }

  public Map<String, String> attributes() {
    return attributes;
  }

  public TreeSet<String> optedOut() {
    return optedOut;
  }

  public Map<String, SandboxNumber> sandbox() {
    return sandbox;
  }

  public void addSandboxNumber(String phone, String password) {
    sandbox.put(phone, new SandboxNumber("Pending", password));
  }

  public JsonObject toJson() {
    JsonObject attrs = new JsonObject();
    attributes.forEach(attrs::put);
    JsonObject numbers = new JsonObject();
    sandbox.forEach((k, v) -> numbers.put(k, new JsonObject().put("status", v.status).put("password", v.password)));
    return new JsonObject().put("account", account).put("region", region).put("attributes", attrs)
        .put("optedOut", new JsonArray(new java.util.ArrayList<>(optedOut))).put("sandbox", numbers);
  }

  public static SmsAccount fromJson(JsonObject j) {
    SmsAccount a = new SmsAccount(j.getString("account"), j.getString("region"));
    j.getJsonObject("attributes", new JsonObject()).forEach(e -> a.attributes.put(e.getKey(), String.valueOf(e.getValue())));
    j.getJsonArray("optedOut", new JsonArray()).forEach(o -> a.optedOut.add((String) o));
    j.getJsonObject("sandbox", new JsonObject()).forEach(e -> {
      JsonObject n = (JsonObject) e.getValue();
      a.sandbox.put(e.getKey(), new SandboxNumber(n.getString("status"), n.getString("password")));
    });
    return a;
  }
}
