package io.eventplane.functions.code;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceException;
import io.eventplane.functions.domain.FunctionErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches a deployment package from S3 (Code.S3Bucket/S3Key/S3ObjectVersion) as a client would:
 * a GetObject to this node's own gateway, so Lambda needs nothing of the storage module and the
 * object is read wherever its bucket lives. The body streams into a file, never whole into memory
 * on the event loop; S3's errors come back as Lambda reports them.
 */
public final class S3CodeSource {
  /** A package as large as this must still arrive: the gap between bytes may be long, a whole download longer. */
  private static final long IDLE_TIMEOUT_SECONDS = 60;
  private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
  private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");

  private final Vertx vertx;
  private final HttpClient client;
  private final String gatewayUrl;
  private final Path downloads;
  private final io.eventplane.common.secret.GatewaySigner signer;

  /**
   * @param gatewayUrl this node's gateway, as function instances reach it
   * @param downloads where packages are written while they arrive (emptied as each is read)
   * @param signer signs the GetObject as the caller's account
   */
  public S3CodeSource(Vertx vertx, String gatewayUrl, Path downloads, io.eventplane.common.secret.GatewaySigner signer) {
    this.signer = signer;
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setKeepAlive(true));
    this.gatewayUrl = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
    this.downloads = downloads;
  }

  /** Removes what downloads a stopped node left half-written. Blocking. */
  public static void clear(Path downloads) throws java.io.IOException {
    if (!Files.isDirectory(downloads)) return;
    try (java.util.stream.Stream<Path> files = Files.list(downloads)) {
      for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
    }
  }

  /** The checked package in the object, read as the caller's account in the caller's region. */
  public Future<CodePackage> fetch(S3CodeLocation location, RequestContext ctx) {
    String url = url(location);
    RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
        .setIdleTimeout(IDLE_TIMEOUT_SECONDS * 1000)
        .putHeader("User-Agent", "eventplane-lambda");
    // Read as the caller's account in the caller's region.
    signer.asAccount("GET", java.net.URI.create(url), ctx.accountId(), ctx.region()).forEach(get::putHeader);
    return client.request(get).compose(request -> request.send()).recover(e -> Future.failedFuture(unreachable(e)))
        .compose(response -> response.statusCode() == 200 ? save(response) : response.body().compose(body ->
            Future.failedFuture(s3Error(response.statusCode(), body))))
        .compose(file -> vertx.executeBlocking(() -> CodePackage.fromFile(file)).eventually(() -> delete(file)));
  }

  private Future<Path> save(HttpClientResponse response) {
    String length = response.getHeader("Content-Length");
    if (length != null && length.matches("\\d{1,19}") && Long.parseLong(length) > CodePackage.MAX_UNZIPPED) {
      response.request().reset();
      return Future.failedFuture(FunctionErrors.invalid("Unzipped size must be smaller than " + CodePackage.MAX_UNZIPPED + " bytes"));
    }
    response.pause();
    return vertx.fileSystem().mkdirs(downloads.toString())
        .compose(v -> vertx.fileSystem().createTempFile(downloads.toString(), "s3-", ".zip", (String) null))
        .compose(name -> vertx.fileSystem().open(name, new OpenOptions().setWrite(true).setTruncateExisting(true))
            .compose(file -> response.pipeTo(file))
            .map(v -> Path.of(name))
            .recover(e -> delete(Path.of(name)).compose(v -> Future.failedFuture(unreachable(e)))));
  }

  private Future<Void> delete(Path file) {
    return vertx.executeBlocking(() -> Files.deleteIfExists(file)).mapEmpty();
  }

  /** Path-style: {@code /bucket/key}, the key's slashes kept and everything else percent-encoded. */
  String url(S3CodeLocation location) {
    String key = URLEncoder.encode(location.key(), StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/")
        .replace("*", "%2A").replace("%7E", "~");
    String url = gatewayUrl + "/" + URLEncoder.encode(location.bucket(), StandardCharsets.UTF_8) + "/" + key;
    if (location.version() != null) url += "?versionId=" + URLEncoder.encode(location.version(), StandardCharsets.UTF_8);
    return url;
  }

  /** Lambda reports S3's own error code and message, as an invalid parameter of the request. */
  static ServiceException s3Error(int status, Buffer body) {
    String xml = body.toString(StandardCharsets.UTF_8);
    Matcher code = CODE.matcher(xml);
    Matcher message = MESSAGE.matcher(xml);
    String c = code.find() ? unescape(code.group(1)) : Integer.toString(status);
    String m = message.find() ? unescape(message.group(1)) : "";
    return FunctionErrors.invalid("Error occurred while GetObject. S3 Error Code: " + c + ". S3 Error Message: " + m);
  }

  private static String unescape(String xml) {
    return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
        .replace("&amp;", "&");
  }

  private static Throwable unreachable(Throwable e) {
    if (e instanceof ServiceException) return e;
    return new ServiceException("ServiceException", "Lambda could not read the deployment package from S3: " + e.getMessage());
  }
}
