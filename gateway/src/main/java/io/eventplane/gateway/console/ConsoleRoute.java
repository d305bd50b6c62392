package io.eventplane.gateway.console;

import io.eventplane.common.audit.AuditCaller;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web console on the edge port, under {@value #PREFIX}: server-rendered HTML pages with htmx
 * (live parts by server-sent events) that read and act through the same service operations as an
 * SDK (see {@link ConsoleCalls}). A browser's {@code GET /} (unsigned, {@code Accept: text/html})
 * is sent here; a signed {@code GET /} stays S3's ListBuckets.
 *
 * <p>Pages live in one class each and answer a {@code Future<String>} of already escaped HTML that
 * {@link Layout} wraps; forms post, act through one operation and redirect (303) back to the page
 * with what happened in its query. A new page: a {@link Layout.Section}, a route in
 * {@link #routeQueues}'s manner, its page class.
 *
 * <p>Access ({@link Access}): with {@code --auth off} anyone; with {@code sigv4} a signed-in access key
 * ({@link ConsoleSessions}: a session cookie, a CSRF token in every form, the calls made as that key's
 * identity); with {@code iam} the same sign-in, and each call the console makes is authorized as that
 * identity's SDK call would be ({@link ConsoleCalls}): a page shows AWS's AccessDenied for what the
 * identity may not do.
 */
public final class ConsoleRoute {
  public static final String PREFIX = "/_eventplane/console/";
  static final String ASSETS = PREFIX + "assets/";
  private static final Pattern QUEUE = Pattern.compile("queues/([A-Za-z0-9_-]{1,80}(?:\\.fifo)?)(?:/(send|peek|live|purge|redrive))?");
  /** The buses', archives', replays', streams', audit and cluster pages' paths (see {@link #routeEventsStreamsAuditCluster}). */
  private static final Pattern UI3 = Pattern.compile("(?:buses|archives|replays|streams|audit|cluster)(?:/.*)?");
  private static final Pattern BUS = Pattern.compile("buses/(" + EventPaths.NAME + ")");
  private static final Pattern RULE = Pattern.compile("buses/(" + EventPaths.NAME + ")/rules/(" + EventPaths.NAME + ")(/test)?");
  private static final Pattern ARCHIVE = Pattern.compile("archives/(" + EventPaths.NAME + ")(/replay)?");
  private static final Pattern REPLAY = Pattern.compile("replays/(" + EventPaths.NAME + ")(/live|/cancel)?");
  private static final Pattern STREAM = Pattern.compile("streams/([A-Za-z0-9_.-]{1,128})");
  private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
      + "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

  /** Who may use the console: anyone ({@code --auth off}), a signed-in key ({@code sigv4} and {@code iam}). */
  public enum Access { OPEN, SIGN_IN }

  private final Vertx vertx;
  private final ConsoleCalls calls;
  private final Clock clock;
  /** The services' clock: the time CloudWatch stamps the AWS namespaces' datapoints with (a stream page's window). */
  private final Clock servicesClock;
  private final Access access;
  private final Assets assets;
  private final ConsoleSessions sessions;
  /** This node's metrics, where a stream's page reads its throughput when CloudWatch has none. */
  private volatile io.eventplane.common.metrics.NodeMetrics metrics = io.eventplane.common.metrics.NodeMetrics.NONE;

  /**
   * @param clock the depth chart's time axis (wall-clock time)
   * @param servicesClock the services' clock (the same as {@code clock} unless a test drives the services'):
   *     CloudWatch's datapoints are stamped with it, so a page asks CloudWatch for the last hour of this clock
   * @param credentials where a sign-in's key is checked ({@link Access#SIGN_IN}); null otherwise
   * @param credentialsKey the cluster's credentials key, which seals sessions ({@link Access#SIGN_IN})
   */
  public ConsoleRoute(Vertx vertx, ConsoleCalls calls, Clock clock, Clock servicesClock, Access access,
      io.eventplane.gateway.auth.CredentialSource credentials, byte[] credentialsKey) {
    this.vertx = vertx;
    this.calls = calls;
    this.clock = clock;
    this.servicesClock = servicesClock;
    this.access = access;
    this.assets = new Assets(vertx);
    this.sessions = access == Access.SIGN_IN ? new ConsoleSessions(vertx, credentials, Clock.systemUTC(), credentialsKey) : null;
  }

  /**
   * The AWS operation whose permission a console call needs in iam mode: its own, or for the
   * console's internal reads the AWS call that reads the same ({@code eventplane:PeekMessages} needs
   * sqs:ReceiveMessage, {@code eventplane:GetAsyncQueue} lambda:GetFunctionEventInvokeConfig). An
   * internal operation not named here is refused in iam mode.
   */
  public static String authorizedAs(String operation) {
    return switch (operation) {
      case QueueNames.PEEK -> "ReceiveMessage";
      case FunctionPage.ASYNC_QUEUE -> "GetFunctionEventInvokeConfig";
      default -> operation;
    };
  }

  /** The node's metrics (from the gateway's start): read by pages that show what this node counted. */
  public void metrics(io.eventplane.common.metrics.NodeMetrics metrics) {
    this.metrics = metrics;
  }

  /** Whether the request is the console's: its path, and no SigV4 signature (a signed one is an API call). */
  public static boolean isConsole(HttpServerRequest request) {
    String path = request.path();
    return (path.startsWith(PREFIX) || path.equals(PREFIX.substring(0, PREFIX.length() - 1))) && unsigned(request);
  }

  /**
   * A browser opening the server's root: {@code GET /} asking for HTML, unsigned, not to a
   * virtual-hosted bucket. SDKs and the CLI sign ListBuckets (an {@code Authorization} header or a
   * presigned query) and do not ask for {@code text/html}, so they never land here.
   */
  public static boolean isBrowserRoot(HttpServerRequest request) {
    String accept = request.getHeader("Accept");
    return request.method() == HttpMethod.GET && request.path().equals("/") && accept != null
        && accept.toLowerCase(java.util.Locale.ROOT).contains("text/html") && unsigned(request)
        && io.eventplane.gateway.s3.S3Request.virtualHostBucket(request.getHeader("Host")) == null;
  }

  private static boolean unsigned(HttpServerRequest request) {
    return request.getHeader("Authorization") == null && request.getParam("X-Amz-Signature") == null
        && request.getParam("X-Amz-Credential") == null;
  }

  /** Sends a browser at the root to the console. */
  public static void redirectToConsole(HttpServerRequest request) {
    request.response().setStatusCode(302).putHeader("Location", PREFIX).putHeader("Cache-Control", "no-store").end();
  }

  public void handle(HttpServerRequest request, RequestContext context, AuditCaller caller) {
    String path = request.path();
    if (!path.startsWith(PREFIX)) {
      request.response().setStatusCode(301).putHeader("Location", PREFIX).end();
      return;
    }
    String rest = path.substring(PREFIX.length());
    if (rest.startsWith("assets/")) {
      asset(request, rest.substring("assets/".length()));
      return;
    }
    if (request.method() == HttpMethod.POST && crossSite(request)) {
      page(request, 403, Future.succeededFuture(Layout.error("Refused", "CrossSiteRequest",
          "The console accepts forms only from its own pages.")));
      return;
    }
    if (access == Access.OPEN) {
      serve(request, rest, new Caller(calls, context, caller, null));
      return;
    }
    if (rest.equals("signin")) {
      signIn(request);
      return;
    }
    // The session is looked up asynchronously: hold a form's body until its reader is in place.
    request.pause();
    sessions.current(request.getHeader("Cookie")).onComplete(found -> {
      ConsoleSessions.Session session = found.succeeded() ? found.result() : null;
      if (session == null) {
        request.resume();
        if (request.method() == HttpMethod.GET) {
          request.response().setStatusCode(303).putHeader("Location", PREFIX + "signin").putHeader("Cache-Control", "no-store").end();
        } else {
          page(request, 401, Future.succeededFuture(Layout.error("Sign-in needed", "SignInNeeded",
              "Your console session has ended: sign in again.")));
        }
        return;
      }
      // The cookie sealed again with the new last-seen time keeps an active session from idling out.
      if (session.cookie() != null) request.response().putHeader("Set-Cookie", ConsoleSessions.setCookie(session.cookie()));
      RequestContext signed = new RequestContext(session.account(), context.region(), context.requestId(), context.baseUrl(),
          new io.eventplane.common.bus.Caller(session.principalArn(), session.userId(), session.accessKeyId()));
      serve(request, rest, new Caller(calls, signed, new AuditCaller(session.accessKeyId(), caller.sourceIp(),
          caller.userAgent()), session));
    });
  }

  /** The sign-in form (GET) and its check (POST): a session cookie and the overview, or the form again with why. */
  private void signIn(HttpServerRequest request) {
    if (request.method() == HttpMethod.GET) {
      page(request, 200, Future.succeededFuture(Layout.page("Sign in", null, SignInPage.form(null))));
      return;
    }
    if (request.method() != HttpMethod.POST) {
      request.response().putHeader("Allow", "GET, POST");
      page(request, 405, Future.succeededFuture(Layout.error("Method not allowed", "MethodNotAllowed", "Use GET or POST.")));
      return;
    }
    Forms.read(request).onComplete(read -> {
      if (read.failed()) {
        request.response().putHeader("Connection", "close");
        page(request, 400, Future.succeededFuture(Layout.error("Not signed in", "InvalidForm", read.cause().getMessage())));
        return;
      }
      sessions.signIn(read.result().get("accessKeyId"), read.result().get("secretAccessKey")).onComplete(done -> {
        if (done.succeeded()) {
          request.response().setStatusCode(303).putHeader("Location", PREFIX).putHeader("Cache-Control", "no-store")
              .putHeader("Set-Cookie", ConsoleSessions.setCookie(done.result().cookie())).end();
        } else {
          page(request, 401, Future.succeededFuture(Layout.page("Sign in", null, SignInPage.form(done.cause().getMessage()))));
        }
      });
    });
  }

  /** A request the caller may make: the page or action its path names. */
  private void serve(HttpServerRequest request, String rest, Caller as) {
    HttpMethod method = request.method();
    if (method != HttpMethod.POST) request.resume();
    if (rest.isEmpty() && method == HttpMethod.GET) {
      page(request, 200, OverviewPage.render(as).map(body -> Layout.page("Overview", Layout.Section.OVERVIEW, as.banner() + body)));
    } else if (rest.equals("queues") && method == HttpMethod.GET) {
      page(request, 200, QueueListPage.render(as, request.getParam("prefix"), request.getParam("token"))
          .map(body -> Layout.page("Queues", Layout.Section.QUEUES, as.banner() + body)));
    } else if (rest.startsWith("queues/")) {
      routeQueues(request, as, rest);
    } else if (rest.equals("topics") || rest.startsWith("topics/")) {
      TopicRoutes.route(this, request, as, rest);
    } else if (rest.equals("buckets") || rest.startsWith("buckets/")) {
      BucketRoutes.route(this, calls, request, as, rest);
    } else if (rest.equals("functions") || rest.startsWith("functions/")) {
      FunctionRoutes.route(this, request, as, rest);
    } else if (UI3.matcher(rest).matches()) {
      routeEventsStreamsAuditCluster(request, as, rest);
    } else if (rest.equals("signout") && method == HttpMethod.POST && as.session() != null) {
      withForm(request, as, form -> {
        sessions.signOut(as.session());
        request.response().setStatusCode(303).putHeader("Location", PREFIX + "signin")
            .putHeader("Set-Cookie", ConsoleSessions.clearCookie()).end();
      });
    } else {
      request.resume();
      notFound(request);
    }
  }

  /** Reads a posted form and, for a signed-in caller, checks its CSRF token, then acts; answers the failures. */
  void withForm(HttpServerRequest request, Caller as, java.util.function.Consumer<io.vertx.core.MultiMap> action) {
    Forms.read(request).onComplete(read -> {
      if (read.failed()) {
        request.response().putHeader("Connection", "close");
        page(request, 400, Future.succeededFuture(Layout.error("Not sent", "InvalidForm", read.cause().getMessage())));
      } else if (as.session() != null && !ConsoleSessions.csrfMatches(as.session(), read.result().get("csrf"))) {
        page(request, 403, Future.succeededFuture(Layout.error("Refused", "InvalidCsrfToken",
            "The form is not from this console session: reload the page and try again.")));
      } else {
        action.accept(read.result());
      }
    });
  }

  private void routeQueues(HttpServerRequest request, Caller as, String rest) {
    Matcher m = QUEUE.matcher(rest);
    if (!m.matches()) {
      notFound(request);
      return;
    }
    String name = m.group(1);
    String action = m.group(2) == null ? "" : m.group(2);
    HttpMethod method = request.method();
    String title = "Queue " + name;
    switch (method.name() + " " + action) {
      case "GET " -> page(request, 200, QueuePage.render(as, name, request.params(), clock.millis())
          .map(body -> Layout.page(title, Layout.Section.QUEUES, as.banner() + body)));
      case "GET peek" -> {
        Future<String> peeked = QueuePage.urlOf(as, name).compose(url -> as.call(
            io.eventplane.gateway.sqs.SqsJsonProtocol.BINDING, io.eventplane.gateway.console.QueueNames.PEEK,
            new io.vertx.core.json.JsonObject().put("QueueUrl", url).put("MaxNumberOfMessages", 10)))
            .map(QueueFragments::peeked);
        // htmx asks for the fragment; a browser without script gets a page.
        page(request, 200, request.getHeader("HX-Request") != null ? peeked
            : peeked.map(body -> Layout.page("Peek at " + name, Layout.Section.QUEUES, body)));
      }
      case "GET live" -> QueuePage.urlOf(as, name).onComplete(found -> {
        if (found.succeeded()) {
          QueueLive.start(vertx, as, request, found.result(), "1".equals(request.getParam("dlq")), clock);
        } else if (found.cause() instanceof ConsoleFailure f && f.status() == 404) {
          // No queue, no stream: 204 tells an EventSource to stop reconnecting.
          request.response().setStatusCode(204).end();
        } else {
          page(request, 200, Future.failedFuture(found.cause()));
        }
      });
      case "GET purge" -> page(request, 200, Future.succeededFuture(
          Layout.page("Purge " + name + "?", Layout.Section.QUEUES, QueuePage.purgeConfirmation(as, name))));
      case "POST send", "POST purge", "POST redrive" -> withForm(request, as, form -> {
        Future<String> done = switch (action) {
          case "send" -> QueueActions.send(as, name, form);
          case "purge" -> QueueActions.purge(as, name, form);
          default -> QueueActions.redrive(as, name);
        };
        done.onComplete(query -> {
          if (query.succeeded()) {
            request.response().setStatusCode(303).putHeader("Location", PREFIX + "queues/" + Html.url(name) + "?" + query.result())
                .putHeader("Cache-Control", "no-store").end();
          } else {
            page(request, 200, Future.failedFuture(query.cause()));
          }
        });
      });
      default -> {
        request.resume();
        request.response().putHeader("Allow", action.isEmpty() || action.equals("peek") || action.equals("live") ? "GET"
            : action.equals("purge") ? "GET, POST" : "POST");
        page(request, 405, Future.succeededFuture(Layout.error("Method not allowed", "MethodNotAllowed",
            "Use " + request.response().headers().get("Allow") + ".")));
      }
    }
  }

  /**
   * Event buses, rules, archives and replays (EventBridge), streams (Kinesis), the audit trail
   * (CloudTrail) and the cluster: GET pages, and three forms (a rule's pattern test, an archive's replay, a
   * replay's cancel).
   */
  private void routeEventsStreamsAuditCluster(HttpServerRequest request, Caller as, String rest) {
    HttpMethod method = request.method();
    Matcher m;
    if (method == HttpMethod.GET && rest.equals("buses")) {
      page(request, 200, BusListPage.render(as, request.getParam("token"))
          .map(body -> Layout.page("Event buses", Layout.Section.BUSES, as.banner() + body)));
    } else if (method == HttpMethod.GET && (m = BUS.matcher(rest)).matches()) {
      String bus = m.group(1);
      page(request, 200, BusPage.render(as, bus, request.getParam("token"))
          .map(body -> Layout.page("Event bus " + bus, Layout.Section.BUSES, as.banner() + body)));
    } else if ((m = RULE.matcher(rest)).matches()) {
      String bus = m.group(1);
      String rule = m.group(2);
      String title = "Rule " + rule;
      if (method == HttpMethod.GET && m.group(3) == null) {
        page(request, 200, RulePage.render(as, bus, rule, null, null)
            .map(body -> Layout.page(title, Layout.Section.BUSES, as.banner() + body)));
      } else if (method == HttpMethod.POST && m.group(3) != null) {
        // A test changes nothing: the answer is shown at once (htmx swaps it in; without script, the page with it).
        withForm(request, as, form -> page(request, 200, RulePage.test(as, bus, rule, form.get("event")).compose(result ->
            request.getHeader("HX-Request") != null ? Future.succeededFuture(result)
                : RulePage.render(as, bus, rule, form.get("event"), result)
                    .map(body -> Layout.page(title, Layout.Section.BUSES, as.banner() + body)))));
      } else {
        methodNotAllowed(request, m.group(3) == null ? "GET" : "POST");
      }
    } else if ((m = ARCHIVE.matcher(rest)).matches()) {
      String archive = m.group(1);
      if (method == HttpMethod.GET && m.group(2) == null) {
        page(request, 200, ArchivePage.render(as, archive, request.params(), clock.millis())
            .map(body -> Layout.page("Archive " + archive, Layout.Section.BUSES, as.banner() + body)));
      } else if (method == HttpMethod.POST && m.group(2) != null) {
        withForm(request, as, form -> ArchivePage.startReplay(as, archive, form).onComplete(started -> {
          String location = started.succeeded() ? EventPaths.replay(started.result())
              : started.cause() instanceof ConsoleFailure f && f.status() != 404
                  ? EventPaths.archive(archive) + "?failed=" + Html.url(f.error.code() + ": " + f.error.message()) : null;
          if (location == null) {
            page(request, 200, Future.failedFuture(started.cause()));
          } else {
            request.response().setStatusCode(303).putHeader("Location", location).putHeader("Cache-Control", "no-store").end();
          }
        }));
      } else {
        methodNotAllowed(request, m.group(2) == null ? "GET" : "POST");
      }
    } else if ((m = REPLAY.matcher(rest)).matches() && (method == HttpMethod.GET && !"/cancel".equals(m.group(2))
        || method == HttpMethod.POST && "/cancel".equals(m.group(2)))) {
      String replay = m.group(1);
      if ("/live".equals(m.group(2))) {
        ReplayPage.live(vertx, as, request, replay);
      } else if ("/cancel".equals(m.group(2))) {
        // CancelReplay, then back to the replay's page with the state answered or the refusal shown there.
        withForm(request, as, form -> ReplayPage.cancel(as, replay).onComplete(done -> {
          if (done.succeeded()) {
            redirect(request, EventPaths.replay(replay) + "?cancelled=" + Html.url(done.result()));
          } else if (done.cause() instanceof ConsoleFailure f && f.status() != 404) {
            redirect(request, EventPaths.replay(replay) + "?failed=" + Html.url(f.error.code() + ": " + f.error.message()));
          } else {
            page(request, 200, Future.failedFuture(done.cause()));
          }
        }));
      } else {
        page(request, 200, ReplayPage.render(as, replay, request.params())
            .map(body -> Layout.page("Replay " + replay, Layout.Section.BUSES, as.banner() + body)));
      }
    } else if (method == HttpMethod.GET && rest.equals("streams")) {
      page(request, 200, StreamListPage.render(as, request.getParam("token"))
          .map(body -> Layout.page("Streams", Layout.Section.STREAMS, as.banner() + body)));
    } else if (method == HttpMethod.GET && (m = STREAM.matcher(rest)).matches()) {
      String stream = m.group(1);
      page(request, 200, StreamPage.render(as, stream, request.getParam("shards"), servicesClock.millis(), metrics)
          .map(body -> Layout.page("Stream " + stream, Layout.Section.STREAMS, as.banner() + body)));
    } else if (method == HttpMethod.GET && rest.equals("audit")) {
      page(request, 200, AuditPage.render(as, request.params())
          .map(body -> Layout.page("Audit trail", Layout.Section.AUDIT, as.banner() + body)));
    } else if (method == HttpMethod.GET && rest.equals("cluster")) {
      page(request, 200, ClusterPage.render(as)
          .map(body -> Layout.page("Cluster", Layout.Section.CLUSTER, as.banner() + body)));
    } else if (method != HttpMethod.GET && method != HttpMethod.POST) {
      methodNotAllowed(request, "GET");
    } else if (method == HttpMethod.GET && (m = REPLAY.matcher(rest)).matches()) {
      methodNotAllowed(request, "POST");
    } else if (method == HttpMethod.POST && (BUS.matcher(rest).matches() || REPLAY.matcher(rest).matches()
        || STREAM.matcher(rest).matches() || List.of("buses", "streams", "audit", "cluster").contains(rest))) {
      methodNotAllowed(request, "GET");
    } else {
      notFound(request);
    }
  }

  /** After a form: back (303) to the page that says what happened. */
  static void redirect(HttpServerRequest request, String location) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) return;
    response.setStatusCode(303).putHeader("Location", location).putHeader("Cache-Control", "no-store").end();
  }

  /** A method the path does not take: 405 naming the ones it does. */
  static void methodNotAllowed(HttpServerRequest request, String allowed) {
    request.resume();
    request.response().putHeader("Allow", allowed);
    page(request, 405, Future.succeededFuture(Layout.error("Method not allowed", "MethodNotAllowed", "Use " + allowed + ".")));
  }

  /** A form posted from another site (the browser says so): refused, the console's forms are its own. */
  private static boolean crossSite(HttpServerRequest request) {
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) return true;
    String origin = request.getHeader("Origin");
    String host = request.getHeader("Host");
    if (origin == null || origin.equals("null") && site == null) return false;
    return host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host));
  }

  private void asset(HttpServerRequest request, String name) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().setStatusCode(405).putHeader("Allow", "GET").end();
      return;
    }
    assets.get(name).onComplete(found -> {
      HttpServerResponse response = request.response();
      if (response.ended() || response.closed()) return;
      if (found.failed()) {
        notFound(request);
        return;
      }
      response.setStatusCode(200).putHeader("Content-Type", found.result().contentType())
          .putHeader("Cache-Control", "public, max-age=3600").putHeader("X-Content-Type-Options", "nosniff")
          .end(io.vertx.core.buffer.Buffer.buffer(found.result().bytes()));
    });
  }

  static void notFound(HttpServerRequest request) {
    page(request, 404, Future.succeededFuture(Layout.error("Not found", "NotFound",
        "The console has no page at " + request.path() + ".")));
  }

  /** Writes a page (or a fragment), or the error page of the call that failed it. */
  static void page(HttpServerRequest request, int status, Future<String> html) {
    html.onComplete(done -> {
      HttpServerResponse response = request.response();
      if (response.ended() || response.closed()) return;
      int code = status;
      String body;
      if (done.succeeded()) {
        body = done.result();
      } else if (done.cause() instanceof ConsoleFailure f) {
        code = f.status();
        body = Layout.error(code == 404 ? "Not found" : "The service refused", f.error.code(), f.error.message());
      } else {
        code = 500;
        body = Layout.error("Console failure", "InternalFailure", String.valueOf(done.cause().getMessage()));
      }
      response.setStatusCode(code).putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Content-Security-Policy", CSP).putHeader("Referrer-Policy", "same-origin")
          .end(body);
    });
  }
}
