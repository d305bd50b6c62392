package io.eventplane.identity.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.identity.domain.AccessKey;
import io.eventplane.identity.domain.Group;
import io.eventplane.identity.domain.User;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Users and groups read back as they were written: the stored bytes are what a restart and a replica read. */
class UserCodecTest {
  @Test
  void aUserWithEverythingRoundTrips() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("z", "1");
    tags.put("a", "");
    Map<String, AccessKey> keys = new LinkedHashMap<>();
    keys.put("AKIAB2AAAAAAAAAAAAAA", new AccessKey("AKIAB2AAAAAAAAAAAAAA", "c2VhbGVk", AccessKey.INACTIVE, 3, 1_700_000_000_123L));
    keys.put("AKIAB2BBBBBBBBBBBBBB", new AccessKey("AKIAB2BBBBBBBBBBBBBB", "b3RoZXI=", AccessKey.ACTIVE, 0, 1_700_000_001_000L));
    User u = new User("123456789012", "Alice", "/staff/", "AIDAAAAAAAAAAAAAAAAAA",
        "arn:aws:iam::aws:policy/ReadOnlyAccess", tags, new TreeSet<>(List.of("arn:aws:iam::aws:policy/P")),
        new TreeMap<>(Map.of("inline", "{\"Version\":\"2012-10-17\"}")), new TreeSet<>(List.of("AGPAAAAAAAAAAAAAAAAAA")),
        keys, 1_600_000_000_000L);
    User back = UserCodec.decodeUser(new JsonObject(Buffer.buffer(UserCodec.encode(u).toBuffer().getBytes())));
    assertThat(back).isEqualTo(u);
    assertThat(back.tags().keySet()).containsExactly("z", "a");
    assertThat(back.accessKeys().keySet()).containsExactly("AKIAB2AAAAAAAAAAAAAA", "AKIAB2BBBBBBBBBBBBBB");
  }

  @Test
  void aGroupRoundTrips() {
    Group g = new Group("123456789012", "Devs", "/eng/", "AGPAAAAAAAAAAAAAAAAAA", new TreeSet<>(List.of("arn:aws:iam::aws:policy/P")),
        new TreeMap<>(Map.of("p", "{}")), 1_600_000_000_000L);
    assertThat(UserCodec.decodeGroup(UserCodec.encode(g))).isEqualTo(g);
  }
}
