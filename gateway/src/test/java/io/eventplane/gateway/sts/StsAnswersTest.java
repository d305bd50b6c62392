package io.eventplane.gateway.sts;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.Caller;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.secret.TemporaryCredentials;
import io.eventplane.common.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who STS says calls, and the sessions it hands out, for verified callers and with auth off. */
class StsAnswersTest {
  private static final String ACCOUNT = "123456789012";
  private static final Instant START = Instant.parse("2026-12-05T20:00:00Z");
  private final MutableClock clock = new MutableClock(START.toEpochMilli());
  private final TemporaryCredentials credentials = new TemporaryCredentials(new byte[32]);
  private final StsAnswers sts = new StsAnswers(credentials, clock);

  private static RequestContext context(Caller caller) {
    RequestContext c = new RequestContext(ACCOUNT, "us-east-1", "r1", "http://localhost:4566");
    return caller == null ? c : c.withCaller(caller);
  }

  private String answer(String action, Map<String, String> params, RequestContext context) {
    var reply = sts.answer(action, params, context, null).result();
    return reply.status() + " " + reply.body();
  }

  private static String between(String s, String from, String to) {
    int start = s.indexOf(from) + from.length();
    return s.substring(start, s.indexOf(to, start));
  }

  record SessionLength(String who, Caller caller, Map<String, String> params, long seconds) {}

  @Test
  void getSessionTokenLastsTwelveHoursForUsersAndOneAtMostForTheRoot() {
    Caller alice = new Caller("arn:aws:iam::" + ACCOUNT + ":user/alice", "AIDAALICE", "AKIAALICE");
    Caller root = Caller.root(ACCOUNT, "ADMINKEY");
    List<SessionLength> table = List.of(
        new SessionLength("a user, by default", alice, Map.of(), 43200),
        new SessionLength("a user, 36 hours", alice, Map.of("DurationSeconds", "129600"), 129600),
        new SessionLength("the root, by default", root, Map.of(), 3600),
        new SessionLength("the root, asking 36 hours", root, Map.of("DurationSeconds", "129600"), 3600),
        new SessionLength("the root, 15 minutes", root, Map.of("DurationSeconds", "900"), 900),
        new SessionLength("auth off: the key's account's root", null, Map.of("DurationSeconds", "7200"), 3600));
    for (SessionLength row : table) {
      String xml = answer("GetSessionToken", row.params(), context(row.caller()));
      assertThat(xml).as(row.who()).startsWith("200 ")
          .contains("<Expiration>" + START.plusSeconds(row.seconds()) + "</Expiration>");
      var session = credentials.open(between(xml, "<AccessKeyId>", "</AccessKeyId>"),
          between(xml, "<SessionToken>", "</SessionToken>")).orElseThrow().session();
      String arn = row.caller() == null ? "arn:aws:iam::" + ACCOUNT + ":root" : row.caller().arn();
      assertThat(session.principalArn()).as(row.who()).isEqualTo(arn);
    }
    Caller temporary = new Caller("arn:aws:sts::" + ACCOUNT + ":assumed-role/r/s", "AROAX:s", "ASIAEXAMPLE");
    assertThat(answer("GetSessionToken", Map.of(), context(temporary))).startsWith("403 ")
        .contains("<Code>AccessDenied</Code><Message>Cannot call GetSessionToken with session credentials</Message>");
  }

  @Test
  void withAuthOffTheCallIsTheSessionOfItsTokenUntilItEnds() {
    var issued = credentials.mint(TemporaryCredentials.Session.assumedRole(ACCOUNT, "deployer", "AROADEPLOYER", "arn:aws:iam::"
        + ACCOUNT + ":role/deployer", "s1", "", Map.of(), START.getEpochSecond() + 900));
    Map<String, String> params = new HashMap<>();
    params.put(StsAnswers.ACCESS_KEY_PARAMETER, issued.accessKeyId());
    params.put(StsAnswers.TOKEN_PARAMETER, issued.sessionToken());
    assertThat(answer("GetCallerIdentity", params, context(null)))
        .contains("<Arn>arn:aws:sts::" + ACCOUNT + ":assumed-role/deployer/s1</Arn><UserId>AROADEPLOYER:s1</UserId>");
    clock.advance(Duration.ofSeconds(900));
    assertThat(answer("GetCallerIdentity", params, context(null))).startsWith("403 ")
        .contains("<Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message>");
    params.put(StsAnswers.ACCESS_KEY_PARAMETER, "ASIAOTHERKEY0000000");
    assertThat(answer("GetCallerIdentity", params, context(null))).as("another key's token is no session")
        .contains("<Arn>arn:aws:iam::" + ACCOUNT + ":root</Arn>");
  }

  @Test
  void aVerifiedCallerIsWhoItIsWhateverTokenItCarries() {
    var issued = credentials.mint(TemporaryCredentials.Session.assumedRole(ACCOUNT, "deployer", "AROADEPLOYER", "arn:aws:iam::"
        + ACCOUNT + ":role/deployer", "s1", "", Map.of(), START.getEpochSecond() + 900));
    Map<String, String> params = Map.of(StsAnswers.ACCESS_KEY_PARAMETER, issued.accessKeyId(), StsAnswers.TOKEN_PARAMETER,
        issued.sessionToken());
    Caller bob = new Caller("arn:aws:iam::" + ACCOUNT + ":user/bob", "AIDABOB", "AKIABOB");
    assertThat(answer("GetCallerIdentity", params, context(bob)))
        .contains("<Arn>arn:aws:iam::" + ACCOUNT + ":user/bob</Arn><UserId>AIDABOB</UserId><Account>" + ACCOUNT + "</Account>");
  }
}
