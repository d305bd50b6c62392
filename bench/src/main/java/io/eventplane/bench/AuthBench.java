package io.eventplane.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What authentication costs: SQS SendMessage against three Eventplane servers that differ only in
 * {@code --auth off}, {@code sigv4} and {@code iam} ({@link ModeComparison}). The load signs with an
 * IAM user's access key in every mode (made through IAM with the admin key, its inline policy allowing
 * the queue's actions), so sigv4 finds a stored key and iam evaluates a real policy; the admin key (the
 * root) would skip the policy step.
 *
 * <pre>bench/run-auth-bench.sh [--rounds 3] [--callers 1,16] [--warmup 2] [--measure 5] [--jit-warmup 5]
 *     [--modes off,sigv4,iam] [--durability none|fsync] [--jfr iam,off] [--root .]</pre>
 */
public final class AuthBench implements ModeComparison.Comparison {
  private static final String QUEUE = "auth-bench";

  public static void main(String[] args) throws Exception {
    ModeComparison.run(new AuthBench(), args);
  }

  @Override public String name() {
    return "auth";
  }

  @Override public String title() {
    return "Authentication: SendMessage with --auth off, sigv4, iam";
  }

  @Override public String requests() {
    return "every request SigV4-signed by the generator with an IAM user's key (an inline policy allowing the "
        + "queue's actions) in every mode";
  }

  @Override public List<String> defaultModes() {
    return List.of("off", "sigv4", "iam");
  }

  @Override public String baseline() {
    return "off";
  }

  @Override public List<String> serverArgs(String mode) {
    return List.of("--auth", mode);
  }

  @Override public String queue() {
    return QUEUE;
  }

  /** An IAM user "bench" with an access key and an inline policy allowing SQS: {key id, secret}. */
  @Override public String[] signingKey(int port) throws Exception {
    iam(port, "Action=CreateUser&UserName=bench&Version=2010-05-08");
    String created = iam(port, "Action=CreateAccessKey&UserName=bench&Version=2010-05-08");
    String policy = URLEncoder.encode("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Action\":[\"sqs:SendMessage\",\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\"],"
        + "\"Resource\":\"arn:aws:sqs:us-east-1:000000000000:" + QUEUE + "\"}]}", StandardCharsets.UTF_8);
    iam(port, "Action=PutUserPolicy&UserName=bench&PolicyName=send&PolicyDocument=" + policy + "&Version=2010-05-08");
    return new String[] {between(created, "<AccessKeyId>", "</AccessKeyId>"),
        between(created, "<SecretAccessKey>", "</SecretAccessKey>")};
  }

  private static String between(String text, String from, String to) {
    int a = text.indexOf(from);
    if (a < 0) throw new IllegalStateException("no " + from + " in " + text);
    return text.substring(a + from.length(), text.indexOf(to, a));
  }

  private static String iam(int port, String form) throws Exception {
    Buffer body = Buffer.buffer(form);
    MultiMap headers = new BenchSigner(ModeComparison.ADMIN_KEY, ModeComparison.ADMIN_SECRET, "us-east-1", "iam", port)
        .formPost(body);
    return ModeComparison.send(port, body, headers, form);
  }
}
