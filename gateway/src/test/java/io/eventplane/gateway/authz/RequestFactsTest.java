package io.eventplane.gateway.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.Caller;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The global condition keys a request carries. */
class RequestFactsTest {
  @Test
  void globalKeysOfARequest() {
    RequestFacts facts = new RequestFacts("203.0.113.7", true, Instant.parse("2026-12-05T10:15:30Z"), "eu-west-1", "aws-cli/2.15");
    Map<String, List<String>> keys = facts.conditionKeys(new Caller("arn:aws:iam::123456789012:user/alice", "AIDAX", "AKIAX"));
    assertThat(keys).containsEntry("aws:SourceIp", List.of("203.0.113.7"))
        .containsEntry("aws:SecureTransport", List.of("true"))
        .containsEntry("aws:CurrentTime", List.of("2026-12-05T10:15:30Z"))
        .containsEntry("aws:EpochTime", List.of("1796465730"))
        .containsEntry("aws:RequestedRegion", List.of("eu-west-1"))
        .containsEntry("aws:UserAgent", List.of("aws-cli/2.15"))
        .containsEntry("aws:PrincipalType", List.of("User"))
        .containsEntry("aws:userid", List.of("AIDAX"));
  }

  @Test
  void principalTypes() {
    assertThat(RequestFacts.principalType("arn:aws:iam::123456789012:root")).isEqualTo("Account");
    assertThat(RequestFacts.principalType("arn:aws:iam::123456789012:user/a/b")).isEqualTo("User");
    assertThat(RequestFacts.principalType("arn:aws:sts::123456789012:assumed-role/r/s")).isEqualTo("AssumedRole");
    assertThat(RequestFacts.principalType("arn:aws:sts::123456789012:federated-user/bob")).isEqualTo("FederatedUser");
  }

  @Test
  void absentFactsAreAbsentKeys() {
    Map<String, List<String>> keys = new RequestFacts(null, false, Instant.EPOCH, null, null).conditionKeys(null);
    assertThat(keys).containsOnlyKeys("aws:SecureTransport", "aws:CurrentTime", "aws:EpochTime");
  }
}
