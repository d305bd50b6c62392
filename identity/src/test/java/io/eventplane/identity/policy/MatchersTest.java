package io.eventplane.identity.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The compiled matchers on their own: wildcard backtracking, ARN parts, address literals and CIDR blocks. */
class MatchersTest {
  private static final RequestContext CONTEXT = RequestContext.of(Map.of("aws:username", List.of("alice"),
      "aws:TagKeys", List.of("a", "b")));

  @ParameterizedTest(name = "{0} ~ {1}")
  @CsvSource(delimiter = '|', value = {
      "*|''|true", "?|''|false", "''|''|true", "''|a|false", "a*|a|true", "*a|a|true", "a*a|a|false", "a*a|aa|true",
      "*a*b|xaxb|true", "*a*b|xaxbx|false", "*ab|aab|true", "a**b|ab|true", "a?*|a|false", "a?*|ab|true",
      "*.txt|notes.txt.bak|false", "*.txt|a.txt.txt|true", "a*b?c|aXXbYc|true", "a*b?c|abc|false",
      "home/${aws:username}/*|home/alice/x|true", "home/${aws:username}*|home/alicex|true",
      "home/${aws:TagKeys}|home/a|false", "${aws:nothere}|''|false", "${aws:nothere, ''}|''|true",
      "${aws:username}|ALICE|false", "x${*}|x*|true", "x${  *  }|x*|true", "${unclosed|${unclosed|true"})
  void matchesResources(String pattern, String value, boolean matches) {
    assertThat(Wildcard.compile(pattern, true, true, false).matches(value, CONTEXT)).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0} ~ {1}")
  @CsvSource(delimiter = '|', value = {
      "sqs:Send*|SQS:sendmessage|true", "sqs:*|sns:Publish|false", "*|anything:Goes|true", "s?s:x|SQS:X|true"})
  void matchesActionsIgnoringCase(String pattern, String value, boolean matches) {
    assertThat(Wildcard.compile(pattern, true, false, true).matches(value, null)).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0} ~ {1}")
  @CsvSource(delimiter = '|', value = {
      "arn:aws:sqs:*:111122223333:*|arn:aws:sqs:us-east-1:111122223333:q|true",
      "arn:aws:sqs:*:111122223333:*|arn:aws:sqs:us-east-1:999922223333:q|false",
      "arn:aws:*|arn:aws:sqs:us-east-1:1:q|true",
      "arn:*:sqs:*:*:q*|arn:aws:sqs:us-east-1:1:queue|true",
      "arn:aws:sqs:us-east-1:1:q|arn:aws:sqs:us-east-1:1|false",
      "arn:aws:s3:::b/*|arn:aws:s3:::b/k:with:colons|true",
      "arn:aws:iam::*:user/*/${aws:username}|arn:aws:iam::1:user/x/alice|true"})
  void matchesArnsPartByPart(String pattern, String value, boolean matches) {
    assertThat(ArnPattern.matches(ArnPattern.compile(pattern, true), value, CONTEXT)).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0} in {1}")
  @CsvSource(delimiter = '|', value = {
      "10.0.0.1|10.0.0.0/8|true", "11.0.0.1|10.0.0.0/8|false", "192.168.1.130|192.168.1.128/25|true",
      "192.168.1.127|192.168.1.128/25|false", "1.2.3.4|0.0.0.0/0|true", "1.2.3.4|1.2.3.4/32|true",
      "::1|::1/128|true", "::2|::1/128|false", "2001:db8::1|2001:db8::/32|true", "2001:db9::1|2001:db8::/32|false",
      "::ffff:10.1.2.3|::ffff:10.0.0.0/104|true", "fe80::1%eth0|fe80::/10|true", "10.0.0.1|::/0|false",
      "256.0.0.1|0.0.0.0/0|false", "1.2.3|0.0.0.0/0|false", "1.2.3.4.5|0.0.0.0/0|false", "1::2::3|::/0|false",
      "12345::1|::/0|false", "1:2:3:4:5:6:7:8|::/0|true", "1:2:3:4:5:6:7:8:9|::/0|false", "example.com|0.0.0.0/0|false",
      "10.0.0.1|10.0.0.0/33|false", "10.0.0.1|10.0.0.0/x|false"})
  void containsAddresses(String address, String block, boolean contains) {
    CidrBlock cidr = CidrBlock.parse(block);
    assertThat(cidr != null && cidr.contains(IpLiteral.parse(address))).isEqualTo(contains);
  }
}
