package io.eventplane.server.iam;

import static io.eventplane.server.iam.IamClients.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ListUsersResponse;
import software.amazon.awssdk.services.iam.model.User;

/** IAM users, groups and their policies through the SDK's IAM client (auth off: the caller is the account's root). */
class IamUsersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:*\","
      + "\"Resource\":\"*\"}]}";
  private static final String BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";



  @Test
  void aUserFromCreationToDeletion() {
    User created = server.iam().createUser(b -> b.userName("Alice").path("/staff/").permissionsBoundary(BASIC)
        .tags(t -> t.key("team").value("orders"))).user();
    assertThat(created.arn()).isEqualTo("arn:aws:iam::000000000000:user/staff/Alice");
    assertThat(created.userId()).startsWith("AIDA").hasSize(21).matches("[A-Z2-7]+");
    assertThat(created.path()).isEqualTo("/staff/");
    assertThat(created.createDate()).isNotNull();
    assertThat(created.permissionsBoundary().permissionsBoundaryArn()).isEqualTo(BASIC);

    // Names are unique without regard to case.
    User got = server.iam().getUser(b -> b.userName("alice")).user();
    assertThat(got.userName()).isEqualTo("Alice");
    assertThat(got.tags()).extracting(t -> t.key() + "=" + t.value()).containsExactly("team=orders");
    assertThatThrownBy(() -> server.iam().createUser(b -> b.userName("ALICE"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("EntityAlreadyExists 409 User with name ALICE already exists."));

    server.iam().tagUser(b -> b.userName("Alice").tags(t -> t.key("cost").value("7"), t -> t.key("TEAM").value("billing")));
    assertThat(server.iam().listUserTags(b -> b.userName("Alice")).tags()).extracting(t -> t.key() + "=" + t.value())
        .containsExactly("cost=7", "TEAM=billing");
    server.iam().untagUser(b -> b.userName("Alice").tagKeys("COST"));
    assertThat(server.iam().listUserTags(b -> b.userName("Alice")).tags()).extracting(t -> t.key()).containsExactly("TEAM");

    // A rename moves the user (most likely into another partition); the old name is gone.
    server.iam().updateUser(b -> b.userName("Alice").newUserName("Alicia").newPath("/ops/"));
    assertThatThrownBy(() -> server.iam().getUser(b -> b.userName("Alice"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("NoSuchEntity 404 The user with name Alice cannot be found."));
    User renamed = server.iam().getUser(b -> b.userName("Alicia")).user();
    assertThat(renamed.arn()).isEqualTo("arn:aws:iam::000000000000:user/ops/Alicia");
    assertThat(renamed.userId()).isEqualTo(created.userId());
    assertThat(renamed.tags()).hasSize(1);
    server.iam().createUser(b -> b.userName("Bob"));
    assertThatThrownBy(() -> server.iam().updateUser(b -> b.userName("Alicia").newUserName("bob"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("EntityAlreadyExists 409 User with name bob already exists."));

    server.iam().deleteUser(b -> b.userName("alicia"));
    assertThatThrownBy(() -> server.iam().deleteUser(b -> b.userName("Alicia"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("NoSuchEntity 404 The user with name Alicia cannot be found."));
  }

  @Test
  void getUserWithoutANameIsTheCallersRoot() {
    // Signatures are not verified here: the caller is the account's root, as AWS answers for root keys.
    User root = server.iam().getUser(b -> { }).user();
    assertThat(root.arn()).isEqualTo("arn:aws:iam::000000000000:root");
    assertThat(root.userId()).isEqualTo("000000000000");
    assertThat(root.userName()).isNull();
    assertThat(server.iam().listAccessKeys(b -> { }).accessKeyMetadata()).isEmpty();
  }

  @Test
  void namesFollowIamsRules() {
    String name64 = "u".repeat(63) + "+";
    server.iam().createUser(b -> b.userName(name64));
    assertThat(server.iam().getUser(b -> b.userName(name64)).user().userName()).isEqualTo(name64);
    assertThatThrownBy(() -> server.iam().createUser(b -> b.userName("u".repeat(65)))).satisfies(e -> assertThat(error(e))
        .isEqualTo("ValidationError 400 1 validation error detected: Value '" + "u".repeat(65)
            + "' at 'userName' failed to satisfy constraint: Member must have length between 1 and 64"));
    assertThatThrownBy(() -> server.iam().createUser(b -> b.userName("a b"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("ValidationError 400 1 validation error detected: Value 'a b' at 'userName' failed to satisfy "
            + "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"));
    assertThatThrownBy(() -> server.iam().createUser(b -> b.userName("x").path("nope"))).satisfies(e -> assertThat(error(e))
        .startsWith("ValidationError 400 "));
    String group128 = "g".repeat(127) + "@";
    server.iam().createGroup(b -> b.groupName(group128));
    assertThat(server.iam().getGroup(b -> b.groupName(group128)).group().groupName()).isEqualTo(group128);
    assertThatThrownBy(() -> server.iam().createGroup(b -> b.groupName("g".repeat(129)))).satisfies(e -> assertThat(error(e))
        .endsWith("at 'groupName' failed to satisfy constraint: Member must have length between 1 and 128"));
    assertThatThrownBy(() -> server.iam().getGroup(b -> b.groupName("a/b"))).satisfies(e -> assertThat(error(e))
        .startsWith("ValidationError 400 "));
    assertThatThrownBy(() -> server.iam().getUser(b -> b.userName("nobody"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("NoSuchEntity 404 The user with name nobody cannot be found."));
    assertThatThrownBy(() -> server.iam().getGroup(b -> b.groupName("nogroup"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("NoSuchEntity 404 The group with name nogroup cannot be found."));
  }

  @Test
  void listsUsersByNameWithPathsAndPages() {
    for (String n : List.of("dave", "Carol", "erin", "bob", "alice")) {
      server.iam().createUser(b -> b.userName(n).path(n.equals("erin") ? "/x/" : "/"));
    }
    assertThat(server.iam().listUsers().users()).extracting(User::userName).containsExactly("alice", "bob", "Carol", "dave", "erin");
    assertThat(server.iam().listUsers(b -> b.pathPrefix("/x/")).users()).extracting(User::userName).containsExactly("erin");
    assertThat(server.iam().listUsers(b -> b.pathPrefix("/x")).users()).extracting(User::userName).containsExactly("erin");
    assertThatThrownBy(() -> server.iam().listUsers(b -> b.pathPrefix("x"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("ValidationError 400 1 validation error detected: Value 'x' at 'pathPrefix' failed to satisfy "
            + "constraint: Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*"));
    List<String> paged = new ArrayList<>();
    String marker = null;
    int pages = 0;
    do {
      String m = marker;
      ListUsersResponse page = server.iam().listUsers(b -> b.maxItems(2).marker(m));
      page.users().forEach(u -> paged.add(u.userName()));
      marker = page.isTruncated() ? page.marker() : null;
      pages++;
    } while (marker != null);
    assertThat(paged).containsExactly("alice", "bob", "Carol", "dave", "erin");
    assertThat(pages).isEqualTo(3);
    assertThatThrownBy(() -> server.iam().listUsers(b -> b.maxItems(0))).satisfies(e -> assertThat(error(e))
        .startsWith("ValidationError 400 "));
  }

  @Test
  void groupsAndTheirMembers() {
    server.iam().createUser(b -> b.userName("ann"));
    server.iam().createUser(b -> b.userName("ben"));
    var group = server.iam().createGroup(b -> b.groupName("Devs").path("/eng/")).group();
    assertThat(group.arn()).isEqualTo("arn:aws:iam::000000000000:group/eng/Devs");
    assertThat(group.groupId()).startsWith("AGPA").hasSize(21);
    assertThatThrownBy(() -> server.iam().createGroup(b -> b.groupName("devs"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("EntityAlreadyExists 409 Group with name devs already exists."));
    server.iam().createGroup(b -> b.groupName("ops"));

    server.iam().addUserToGroup(b -> b.groupName("devs").userName("ann"));
    server.iam().addUserToGroup(b -> b.groupName("Devs").userName("ben"));
    server.iam().addUserToGroup(b -> b.groupName("ops").userName("ann"));
    assertThatThrownBy(() -> server.iam().addUserToGroup(b -> b.groupName("nope").userName("ann"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("NoSuchEntity 404 The group with name nope cannot be found."));
    assertThatThrownBy(() -> server.iam().addUserToGroup(b -> b.groupName("ops").userName("nobody"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("NoSuchEntity 404 The user with name nobody cannot be found."));

    var got = server.iam().getGroup(b -> b.groupName("devs"));
    assertThat(got.group().groupName()).isEqualTo("Devs");
    assertThat(got.users()).extracting(User::userName).containsExactly("ann", "ben");
    var firstPage = server.iam().getGroup(b -> b.groupName("devs").maxItems(1));
    assertThat(firstPage.users()).extracting(User::userName).containsExactly("ann");
    assertThat(firstPage.isTruncated()).isTrue();
    assertThat(server.iam().getGroup(b -> b.groupName("devs").marker(firstPage.marker())).users())
        .extracting(User::userName).containsExactly("ben");
    assertThat(server.iam().listGroupsForUser(b -> b.userName("ann")).groups()).extracting(g -> g.groupName())
        .containsExactly("Devs", "ops");
    assertThat(server.iam().listGroups(b -> b.pathPrefix("/eng/")).groups()).extracting(g -> g.groupName()).containsExactly("Devs");

    assertThatThrownBy(() -> server.iam().deleteGroup(b -> b.groupName("ops"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("DeleteConflict 409 Cannot delete entity, must remove users from group first."));
    assertThatThrownBy(() -> server.iam().deleteUser(b -> b.userName("ann"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("DeleteConflict 409 Cannot delete entity, must remove users from group first."));

    // Memberships follow a renamed group.
    server.iam().updateGroup(b -> b.groupName("Devs").newGroupName("Builders").newPath("/"));
    assertThat(server.iam().getGroup(b -> b.groupName("builders")).users()).extracting(User::userName).containsExactly("ann", "ben");
    assertThatThrownBy(() -> server.iam().getGroup(b -> b.groupName("devs"))).satisfies(e -> assertThat(error(e))
        .startsWith("NoSuchEntity 404 "));

    server.iam().removeUserFromGroup(b -> b.groupName("ops").userName("ann"));
    assertThatThrownBy(() -> server.iam().removeUserFromGroup(b -> b.groupName("ops").userName("ann"))).satisfies(e -> assertThat(error(e))
        .startsWith("NoSuchEntity 404 "));
    server.iam().deleteGroup(b -> b.groupName("ops"));
    assertThat(server.iam().listGroupsForUser(b -> b.userName("ann")).groups()).extracting(g -> g.groupName())
        .containsExactly("Builders");
  }

  @Test
  void aUserBelongsToAtMostTenGroups() {
    server.iam().createUser(b -> b.userName("joiner"));
    for (int i = 0; i < 11; i++) {
      int n = i;
      server.iam().createGroup(b -> b.groupName("g" + n));
      if (n < 10) server.iam().addUserToGroup(b -> b.groupName("g" + n).userName("joiner"));
    }
    assertThatThrownBy(() -> server.iam().addUserToGroup(b -> b.groupName("g10").userName("joiner"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("LimitExceeded 409 Cannot exceed quota for GroupsPerUser: 10"));
  }

  @Test
  void inlinePoliciesOfUsersAndGroups() {
    server.iam().createUser(b -> b.userName("pol"));
    server.iam().createGroup(b -> b.groupName("polg"));
    server.iam().putUserPolicy(b -> b.userName("pol").policyName("queues").policyDocument(POLICY));
    server.iam().putGroupPolicy(b -> b.groupName("polg").policyName("queues").policyDocument(POLICY));
    assertThat(server.iam().listUserPolicies(b -> b.userName("pol")).policyNames()).containsExactly("queues");
    assertThat(server.iam().listGroupPolicies(b -> b.groupName("polg")).policyNames()).containsExactly("queues");
    var userPolicy = server.iam().getUserPolicy(b -> b.userName("pol").policyName("queues"));
    assertThat(userPolicy.userName()).isEqualTo("pol");
    assertThat(URLDecoder.decode(userPolicy.policyDocument(), StandardCharsets.UTF_8)).isEqualTo(POLICY);
    assertThat(URLDecoder.decode(server.iam().getGroupPolicy(b -> b.groupName("polg").policyName("queues")).policyDocument(),
        StandardCharsets.UTF_8)).isEqualTo(POLICY);

    assertThatThrownBy(() -> server.iam().putUserPolicy(b -> b.userName("pol").policyName("bad").policyDocument("{not json")))
        .satisfies(e -> assertThat(error(e)).isEqualTo("MalformedPolicyDocument 400 This policy contains invalid Json"));
    String noResource = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:*\"}]}";
    assertThatThrownBy(() -> server.iam().putGroupPolicy(b -> b.groupName("polg").policyName("bad").policyDocument(noResource)))
        .satisfies(e -> assertThat(error(e)).startsWith("MalformedPolicyDocument 400 "));
    String withPrincipal = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
        + "\"Action\":\"sqs:*\",\"Resource\":\"*\"}]}";
    assertThatThrownBy(() -> server.iam().putUserPolicy(b -> b.userName("pol").policyName("bad").policyDocument(withPrincipal)))
        .satisfies(e -> assertThat(error(e)).startsWith("MalformedPolicyDocument 400 "));
    assertThatThrownBy(() -> server.iam().getUserPolicy(b -> b.userName("pol").policyName("nope"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("NoSuchEntity 404 The user policy with name nope cannot be found."));
    assertThatThrownBy(() -> server.iam().deleteGroupPolicy(b -> b.groupName("polg").policyName("nope"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("NoSuchEntity 404 The group policy with name nope cannot be found."));
    assertThatThrownBy(() -> server.iam().putUserPolicy(b -> b.userName("nobody").policyName("p").policyDocument(POLICY)))
        .satisfies(e -> assertThat(error(e)).startsWith("NoSuchEntity 404 "));

    // A user's inline policies share 2,048 characters (whitespace not counted).
    String big = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:*\",\"Resource\":\"arn:aws:sqs:*:*:"
        + "q".repeat(1900) + "\"}]}";
    assertThatThrownBy(() -> server.iam().putUserPolicy(b -> b.userName("pol").policyName("big").policyDocument(big)))
        .satisfies(e -> assertThat(error(e)).isEqualTo("LimitExceeded 409 Maximum policy size of 2048 bytes exceeded for user pol"));
    server.iam().putGroupPolicy(b -> b.groupName("polg").policyName("big").policyDocument(big));
    String oversized = big.replace("q".repeat(1900), "q".repeat(11_000));
    assertThatThrownBy(() -> server.iam().putGroupPolicy(b -> b.groupName("polg").policyName("huge").policyDocument(oversized)))
        .satisfies(e -> assertThat(error(e)).isEqualTo("LimitExceeded 409 Cannot exceed quota for PolicySize: 10240"));

    assertThatThrownBy(() -> server.iam().deleteUser(b -> b.userName("pol"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("DeleteConflict 409 Cannot delete entity, must delete policies first."));
    assertThatThrownBy(() -> server.iam().deleteGroup(b -> b.groupName("polg"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("DeleteConflict 409 Cannot delete entity, must delete policies first."));
    server.iam().deleteUserPolicy(b -> b.userName("pol").policyName("queues"));
    server.iam().deleteGroupPolicy(b -> b.groupName("polg").policyName("queues"));
    server.iam().deleteGroupPolicy(b -> b.groupName("polg").policyName("big"));
    server.iam().deleteUser(b -> b.userName("pol"));
    server.iam().deleteGroup(b -> b.groupName("polg"));
  }

  @Test
  void managedPoliciesAttachedToUsersAndGroupsAreCounted() {
    server.iam().createUser(b -> b.userName("att"));
    server.iam().createGroup(b -> b.groupName("attg"));
    String arn = server.iam().createPolicy(b -> b.policyName("shared").policyDocument(POLICY)).policy().arn();
    server.iam().attachUserPolicy(b -> b.userName("att").policyArn(arn));
    server.iam().attachGroupPolicy(b -> b.groupName("attg").policyArn(arn));
    server.iam().attachUserPolicy(b -> b.userName("att").policyArn(BASIC));
    assertThat(server.iam().getPolicy(b -> b.policyArn(arn)).policy().attachmentCount()).isEqualTo(2);
    assertThat(server.iam().listAttachedUserPolicies(b -> b.userName("att")).attachedPolicies()).extracting(p -> p.policyName())
        .containsExactlyInAnyOrder("shared", "AWSLambdaBasicExecutionRole");
    assertThat(server.iam().listAttachedUserPolicies(b -> b.userName("att").pathPrefix("/service-role/")).attachedPolicies())
        .extracting(p -> p.policyArn()).containsExactly(BASIC);
    assertThat(server.iam().listAttachedGroupPolicies(b -> b.groupName("attg")).attachedPolicies()).extracting(p -> p.policyArn())
        .containsExactly(arn);
    assertThatThrownBy(() -> server.iam().deletePolicy(b -> b.policyArn(arn))).satisfies(e -> assertThat(error(e))
        .startsWith("DeleteConflict 409 "));
    assertThatThrownBy(() -> server.iam().deleteUser(b -> b.userName("att"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("DeleteConflict 409 Cannot delete entity, must detach all policies first."));
    assertThatThrownBy(() -> server.iam().attachGroupPolicy(b -> b.groupName("attg")
        .policyArn("arn:aws:iam::000000000000:policy/missing"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("NoSuchEntity 404 Policy arn:aws:iam::000000000000:policy/missing does not exist or is not attachable."));
    assertThatThrownBy(() -> server.iam().attachUserPolicy(b -> b.userName("att").policyArn("not-an-arn"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("ValidationError 400 ARN not-an-arn is not valid."));
    assertThatThrownBy(() -> server.iam().detachGroupPolicy(b -> b.groupName("attg").policyArn(BASIC))).satisfies(e -> assertThat(error(e))
        .isEqualTo("NoSuchEntity 404 Policy " + BASIC + " was not found."));

    server.iam().detachUserPolicy(b -> b.userName("att").policyArn(arn));
    server.iam().detachGroupPolicy(b -> b.groupName("attg").policyArn(arn));
    assertThat(server.iam().getPolicy(b -> b.policyArn(arn)).policy().attachmentCount()).isZero();
    server.iam().deletePolicy(b -> b.policyArn(arn));
  }

  @Test
  void atMostTenManagedPoliciesPerUser() {
    server.iam().createUser(b -> b.userName("many"));
    for (int i = 0; i < 10; i++) {
      int n = i;
      server.iam().attachUserPolicy(b -> b.userName("many").policyArn("arn:aws:iam::aws:policy/P" + n));
    }
    assertThatThrownBy(() -> server.iam().attachUserPolicy(b -> b.userName("many").policyArn("arn:aws:iam::aws:policy/P10")))
        .satisfies(e -> assertThat(error(e)).isEqualTo("LimitExceeded 409 Cannot exceed quota for PoliciesPerUser: 10"));
  }
}
