package io.eventplane.broker.topic.api;

import io.eventplane.broker.topic.domain.Envelope;
import io.eventplane.broker.topic.domain.TopicErrors;
import io.eventplane.broker.topic.mobile.MobileState;
import io.eventplane.broker.topic.mobile.PlatformArn;
import io.eventplane.broker.topic.mobile.Recorded;
import io.eventplane.broker.topic.mobile.SmsAccount;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The account-level SMS calls: SMS attributes, opt-outs, the SMS sandbox and origination numbers,
 * all in the account's SMS partition. No SMS leaves: a sandbox number's one-time password is
 * recorded as an SMS to it (readable at {@code /_eventplane/sns/sms-messages}), and verifying it
 * takes that password.
 */
final class SmsOperations {
  private static final int PAGE = 100;
  /** The attributes SetSMSAttributes takes. */
  private static final Set<String> ATTRIBUTES = Set.of("MonthlySpendLimit", "DeliveryStatusIAMRole",
      "DeliveryStatusSuccessSamplingRate", "DefaultSenderID", "DefaultSMSType", "UsageReportS3Bucket");
  /** E.164: an optional plus, then up to 15 digits. */
  static final Pattern E164 = Pattern.compile("\\+?[1-9][0-9]{1,14}");
  /** The model's PhoneNumberString: {@code ^(\+[0-9]{8,}|[0-9]{0,9})$}, at most 20 characters. */
  private static final Pattern SANDBOX_NUMBER = Pattern.compile("^(\\+[0-9]{8,}|[0-9]{0,9})$");
  private static final Pattern OTP = Pattern.compile("^[0-9]+$");
  private static final List<String> LANGUAGES = List.of("en-US", "en-GB", "es-419", "es-ES", "de-DE", "fr-CA", "fr-FR",
      "it-IT", "ja-JP", "pt-BR", "kr-KR", "zh-CN", "zh-TW");

  private final MobileState mobile;
  private final java.time.Clock clock;

  SmsOperations(MobileState mobile, java.time.Clock clock) {
    this.mobile = mobile;
    this.clock = clock;
  }

  Future<JsonObject> setSmsAttributes(JsonObject in, RequestContext ctx) {
    if (in.getValue("attributes") == null) throw TopicErrors.missing("attributes");
    Map<String, String> given = Inputs.stringMap(in, "attributes");
    for (Map.Entry<String, String> e : given.entrySet()) {
      if (!ATTRIBUTES.contains(e.getKey())) throw TopicErrors.invalidParameter(e.getKey());
      if (e.getKey().equals("DefaultSMSType") && !e.getValue().equals("Promotional") && !e.getValue().equals("Transactional")) {
        throw TopicErrors.invalidParameter("DefaultSMSType");
      }
    }
    SmsAccount account = mobile.sms(ctx.accountId(), ctx.region());
    account.attributes().putAll(given);
    return mobile.saveSms(account).map(v -> new JsonObject());
  }

  /** The attributes set, all of them or the ones named. */
  Future<JsonObject> getSmsAttributes(JsonObject in, RequestContext ctx) {
    List<String> names = Inputs.stringList(in, "attributes");
    SmsAccount account = mobile.sms(ctx.accountId(), ctx.region());
    JsonObject out = new JsonObject();
    account.attributes().forEach((k, v) -> {
      if (names.isEmpty() || names.contains(k)) out.put(k, v);
    });
    return Future.succeededFuture(new JsonObject().put("attributes", out));
  }

  Future<JsonObject> checkIfPhoneNumberIsOptedOut(JsonObject in, RequestContext ctx) {
    String phone = phoneNumber(in);
    boolean out = mobile.sms(ctx.accountId(), ctx.region()).optedOut().contains(phone);
    return Future.succeededFuture(new JsonObject().put("isOptedOut", out));
  }

  Future<JsonObject> listPhoneNumbersOptedOut(JsonObject in, RequestContext ctx) {
    String token = Inputs.optional(in, "nextToken");
    String after = token == null ? null : PageTokens.decode(token);
    var numbers = mobile.sms(ctx.accountId(), ctx.region()).optedOut();
    JsonArray page = new JsonArray();
    boolean more = false;
    for (String n : after == null ? numbers : numbers.tailSet(after, false)) {
      if (page.size() == PAGE) {
        more = true;
        break;
      }
      page.add(n);
    }
    JsonObject out = new JsonObject().put("phoneNumbers", page);
    if (more) out.put("nextToken", PageTokens.encode(page.getString(page.size() - 1)));
    return Future.succeededFuture(out);
  }

  Future<JsonObject> optInPhoneNumber(JsonObject in, RequestContext ctx) {
    String phone = phoneNumber(in);
    SmsAccount account = mobile.sms(ctx.accountId(), ctx.region());
    if (!account.optedOut().remove(phone)) return Future.succeededFuture(new JsonObject());
    return mobile.saveSms(account).map(v -> new JsonObject());
  }

  Future<JsonObject> createSmsSandboxPhoneNumber(JsonObject in, RequestContext ctx) {
    String phone = sandboxNumber(in);
    String language = Inputs.optional(in, "LanguageCode");
    if (language != null && !LANGUAGES.contains(language)) {
      throw TopicErrors.constraint("languageCode", language, "Member must satisfy enum value set: " + LANGUAGES);
    }
    SmsAccount account = mobile.sms(ctx.accountId(), ctx.region());
    String password = String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    account.addSandboxNumber(phone, password);
    int partition = PlatformArn.smsPartition(ctx.accountId());
    JsonObject sms = new JsonObject().put("MessageId", Ids.uuid())
        .put("Message", "Your Amazon SNS verification code is: " + password).put("Timestamp", Envelope.timestamp(clock.millis()));
    return mobile.saveSms(account)
        .compose(v -> mobile.record(partition, Recorded.sms(ctx.accountId(), ctx.region(), phone, sms)))
        .map(v -> new JsonObject());
  }

  Future<JsonObject> verifySmsSandboxPhoneNumber(JsonObject in, RequestContext ctx) {
    String phone = sandboxNumber(in);
    String otp = Inputs.required(in, "OneTimePassword");
    if (otp.length() < 5) throw TopicErrors.constraint("oneTimePassword", otp, "Member must have length greater than or equal to 5");
    if (otp.length() > 8) throw TopicErrors.constraint("oneTimePassword", otp, "Member must have length less than or equal to 8");
    if (!OTP.matcher(otp).matches()) {
      throw TopicErrors.constraint("oneTimePassword", otp, "Member must satisfy regular expression pattern: ^[0-9]+$");
    }
    SmsAccount account = mobile.sms(ctx.accountId(), ctx.region());
    SmsAccount.SandboxNumber number = account.sandbox().get(phone);
    if (number == null) throw new ServiceException(ServiceError.sender("ResourceNotFound", "Phone number does not exist."));
    if (!number.password().equals(otp)) {
      throw new ServiceException(ServiceError.sender("VerificationException", "Invalid one-time password."));
    }
    number.verify();
    return mobile.saveSms(account).map(v -> new JsonObject());
  }

  Future<JsonObject> listSmsSandboxPhoneNumbers(JsonObject in, RequestContext ctx) {
    Object max = in.getValue("MaxResults");
    int limit = PAGE;
    if (max != null) {
      limit = max instanceof Number n ? n.intValue() : -1;
      if (limit < 1) throw TopicErrors.constraint("maxResults", String.valueOf(max), "Member must have value greater than or equal to 1");
      if (limit > 100) throw TopicErrors.constraint("maxResults", String.valueOf(max), "Member must have value less than or equal to 100");
    }
    String token = Inputs.optional(in, "NextToken");
    String after = token == null ? null : PageTokens.decode(token);
    List<String> numbers = new ArrayList<>(mobile.sms(ctx.accountId(), ctx.region()).sandbox().keySet());
    numbers.sort(null);
    JsonArray page = new JsonArray();
    boolean more = false;
    for (String n : numbers) {
      if (after != null && n.compareTo(after) <= 0) continue;
      if (page.size() == limit) {
        more = true;
        break;
      }
      page.add(new JsonObject().put("PhoneNumber", n)
          .put("Status", mobile.sms(ctx.accountId(), ctx.region()).sandbox().get(n).status()));
    }
    JsonObject out = new JsonObject().put("PhoneNumbers", page);
    if (more) out.put("NextToken", PageTokens.encode(page.getJsonObject(page.size() - 1).getString("PhoneNumber")));
    return Future.succeededFuture(out);
  }

  Future<JsonObject> deleteSmsSandboxPhoneNumber(JsonObject in, RequestContext ctx) {
    String phone = sandboxNumber(in);
    SmsAccount account = mobile.sms(ctx.accountId(), ctx.region());
    if (account.sandbox().remove(phone) == null) {
      throw new ServiceException(ServiceError.sender("ResourceNotFound", "Phone number does not exist."));
    }
    return mobile.saveSms(account).map(v -> new JsonObject());
  }

  /** A new account is in the SMS sandbox; nothing here moves it out. */
  Future<JsonObject> getSmsSandboxAccountStatus() {
    return Future.succeededFuture(new JsonObject().put("IsInSandbox", true));
  }

  /** No origination numbers exist here: an empty list. */
  Future<JsonObject> listOriginationNumbers(JsonObject in) {
    Object max = in.getValue("MaxResults");
    if (max != null) {
      int limit = max instanceof Number n ? n.intValue() : -1;
      if (limit < 1) throw TopicErrors.constraint("maxResults", String.valueOf(max), "Member must have value greater than or equal to 1");
      if (limit > 30) throw TopicErrors.constraint("maxResults", String.valueOf(max), "Member must have value less than or equal to 30");
    }
    return Future.succeededFuture(new JsonObject().put("PhoneNumbers", new JsonArray()));
  }

  /** Publish with a PhoneNumber: recorded as an SMS to the number (in the account's SMS partition). */
  Future<JsonObject> publishSms(String phone, String message, String subject, JsonObject attributes, RequestContext ctx) {
    String messageId = Ids.uuid();
    JsonObject sms = new JsonObject().put("MessageId", messageId).put("Message", message).put("Timestamp", Envelope.timestamp(clock.millis()));
    if (subject != null) sms.put("Subject", subject);
    if (attributes != null && !attributes.isEmpty()) sms.put("MessageAttributes", attributes);
    return mobile.record(PlatformArn.smsPartition(ctx.accountId()), Recorded.sms(ctx.accountId(), ctx.region(), phone, sms))
        .map(v -> new JsonObject().put("MessageId", messageId));
  }

  private static String phoneNumber(JsonObject in) {
    String phone = Inputs.required(in, "phoneNumber");
    if (!E164.matcher(phone).matches()) throw TopicErrors.invalidParameter("PhoneNumber Reason: input incorrectly formatted");
    return phone;
  }

  private static String sandboxNumber(JsonObject in) {
    String phone = Inputs.required(in, "PhoneNumber");
    if (phone.length() > 20) throw TopicErrors.constraint("phoneNumber", null, "Member must have length less than or equal to 20");
    if (!SANDBOX_NUMBER.matcher(phone).matches()) {
      throw TopicErrors.constraint("phoneNumber", null, "Member must satisfy regular expression pattern: ^(\\+[0-9]{8,}|[0-9]{0,9})$");
    }
    return phone;
  }
}
