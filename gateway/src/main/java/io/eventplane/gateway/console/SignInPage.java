package io.eventplane.gateway.console;

/** The sign-in form ({@code --auth sigv4}): an access key id and its secret, as the AWS CLI takes them. */
final class SignInPage {
  private SignInPage() {}

  /** @param failure why the last try failed, or null */
  static String form(String failure) {
    return (failure == null ? "" : "<p role=\"alert\" class=\"error\" id=\"signin-error\">" + Html.text(failure) + "</p>")
        + "<p>This server verifies signatures: sign in with an access key (the admin key or an IAM user's). "
        + "The console's calls are then made as that identity.</p>"
        + "<form method=\"post\" action=\"" + ConsoleRoute.PREFIX + "signin\" class=\"stack\">"
        + "<label for=\"accessKeyId\">Access key id</label>"
        + "<input id=\"accessKeyId\" name=\"accessKeyId\" required autocomplete=\"username\" maxlength=\"128\">"
        + "<label for=\"secretAccessKey\">Secret access key</label>"
        + "<input id=\"secretAccessKey\" name=\"secretAccessKey\" type=\"password\" required autocomplete=\"current-password\">"
        + "<button type=\"submit\" id=\"signin\">Sign in</button></form>";
  }
}
