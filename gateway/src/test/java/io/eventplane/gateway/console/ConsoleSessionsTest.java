package io.eventplane.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.gateway.auth.KeyLookup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions sealed in their cookie: any node with the same credentials key opens them, nobody else;
 * an active session's cookie is sealed again with its last-seen time; idle, maximum age, sign-out and a
 * changed key end it.
 */
class ConsoleSessionsTest {
  private static final byte[] KEY = new byte[32];
  private final Vertx vertx = Vertx.vertx();
  private final AtomicReference<KeyLookup.Answer> key = new AtomicReference<>(
      new KeyLookup.Found("secret-1", "the-secret", "000000000000", "arn:aws:iam::000000000000:user/alice", "AIDAALICE"));
  private final MutableClock clock = new MutableClock();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private ConsoleSessions sessions(byte[] credentialsKey) {
    return new ConsoleSessions(vertx, (id, token, now) -> Future.succeededFuture(
        id.equals("AKIAALICE") ? key.get() : new KeyLookup.Unknown()), clock, credentialsKey);
  }

  private static ConsoleSessions.Session await(Future<ConsoleSessions.Session> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String withCookie(String value) {
    return "other=1; " + ConsoleSessions.COOKIE + "=" + value;
  }

  @Test
  void anotherNodeWithTheSameKeyOpensTheSessionAndNoOtherKeyDoes() throws Exception {
    ConsoleSessions.Session signedIn = await(sessions(KEY).signIn("AKIAALICE", "the-secret"));
    ConsoleSessions.Session elsewhere = await(sessions(KEY).current(withCookie(signedIn.cookie())));
    assertThat(elsewhere).isNotNull();
    assertThat(elsewhere.principalArn()).isEqualTo("arn:aws:iam::000000000000:user/alice");
    assertThat(elsewhere.csrf()).isEqualTo(signedIn.csrf());
    assertThat(elsewhere.cookie()).as("not refreshed within a minute").isNull();

    byte[] other = new byte[32];
    other[0] = 1;
    assertThat(await(sessions(other).current(withCookie(signedIn.cookie())))).isNull();
    char[] tampered = signedIn.cookie().toCharArray();
    tampered[20] = tampered[20] == 'A' ? 'B' : 'A';
    assertThat(await(sessions(KEY).current(withCookie(new String(tampered))))).isNull();
    assertThat(await(sessions(KEY).current(withCookie("!!")))).isNull();
    assertThat(await(sessions(KEY).signIn("AKIAALICE", "wrong")
        .recover(e -> Future.succeededFuture(null)))).isNull();
  }

  @Test
  void anActiveSessionIsSealedAgainAndAnIdleOneEnds() throws Exception {
    ConsoleSessions s = sessions(KEY);
    String cookie = await(s.signIn("AKIAALICE", "the-secret")).cookie();
    clock.advance(ConsoleSessions.REFRESH_MILLIS);
    String refreshed = await(s.current(withCookie(cookie))).cookie();
    assertThat(refreshed).isNotNull().isNotEqualTo(cookie);
    // 31 minutes after the first cookie's last-seen time, 30 after the refreshed one's: only the refreshed lives.
    clock.advance(ConsoleSessions.IDLE_MILLIS - ConsoleSessions.REFRESH_MILLIS + 60_000);
    assertThat(await(s.current(withCookie(cookie)))).isNull();
    assertThat(await(s.current(withCookie(refreshed)))).isNotNull();
    clock.advance(ConsoleSessions.IDLE_MILLIS + 1);
    assertThat(await(s.current(withCookie(refreshed)))).isNull();
  }

  @Test
  void maximumAgeSignOutAndAChangedKeyEndIt() throws Exception {
    ConsoleSessions s = sessions(KEY);
    String cookie = await(s.signIn("AKIAALICE", "the-secret")).cookie();
    // Kept active every 20 minutes, it still ends 8 hours after the sign-in.
    for (long t = 0; t + 20 * 60_000 < ConsoleSessions.MAX_MILLIS; t += 20 * 60_000) {
      clock.advance(20 * 60_000);
      ConsoleSessions.Session live = await(s.current(withCookie(cookie)));
      assertThat(live).isNotNull();
      cookie = live.cookie();
    }
    clock.advance(20 * 60_000 + 1);  // 8 hours and a millisecond after the sign-in
    assertThat(await(s.current(withCookie(cookie)))).isNull();

    String second = await(s.signIn("AKIAALICE", "the-secret")).cookie();
    key.set(new KeyLookup.Found("secret-2", "rotated", "000000000000", "arn:aws:iam::000000000000:user/alice", "AIDAALICE"));
    assertThat(await(s.current(withCookie(second)))).as("the key's secret changed").isNull();

    String third = await(s.signIn("AKIAALICE", "rotated")).cookie();
    ConsoleSessions.Session live = await(s.current(withCookie(third)));
    s.signOut(live);
    assertThat(await(s.current(withCookie(third)))).isNull();
  }

  private static final class MutableClock extends Clock {
    private long millis = Instant.parse("2026-12-06T00:00:00Z").toEpochMilli();

    void advance(long by) {
      millis += by;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
