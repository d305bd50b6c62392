package io.eventplane.identity.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentityPoliciesTest {
  @Test
  void aPrincipalArnNamesAUserOrARole() {
    assertThat(IdentityPolicies.parse("arn:aws:iam::123456789012:user/team/alice"))
        .isEqualTo(new IdentityPolicies.Named("user", "123456789012", "alice"));
    assertThat(IdentityPolicies.parse("arn:aws:sts::123456789012:assumed-role/worker/s1"))
        .isEqualTo(new IdentityPolicies.Named("role", "123456789012", "worker"));
    assertThat(IdentityPolicies.parse("arn:aws:iam::123456789012:role/service/worker"))
        .isEqualTo(new IdentityPolicies.Named("role", "123456789012", "worker"));
  }

  @Test
  void theRootAFederatedUserAndNonsenseNameNoOne() {
    assertThat(IdentityPolicies.parse("arn:aws:iam::123456789012:root")).isNull();
    assertThat(IdentityPolicies.parse("arn:aws:sts::123456789012:federated-user/bob")).isNull();
    assertThat(IdentityPolicies.parse("arn:aws:sts::123456789012:assumed-role/worker")).isNull();
    assertThat(IdentityPolicies.parse("not an arn")).isNull();
    assertThat(IdentityPolicies.parse(null)).isNull();
  }
}
