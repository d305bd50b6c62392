package io.eventplane.examples.thumbnail;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Locale;
import javax.imageio.ImageIO;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The thumbnail pattern: an image uploaded to one bucket is read, scaled down to at most
 * {@link #MAX_SIDE} pixels a side and written to the bucket named by {@code THUMBNAIL_BUCKET} as
 * {@code thumbnails/<key>}, in the image's own format (PNG stays PNG, anything else becomes JPEG).
 * A plain Lambda handler: on AWS the SDK finds S3 itself; on Eventplane {@code AWS_ENDPOINT_URL}
 * points it at the server.
 */
public class Thumbnailer implements RequestHandler<S3Event, String> {
  public static final int MAX_SIDE = 128;

  static {
    // Function instances have no display; ImageIO and Java2D need none.
    System.setProperty("java.awt.headless", "true");
  }

  /** One client per instance, made on the first event: its set-up is paid once, not per image. */
  private S3Client s3;

  @Override
  public String handleRequest(S3Event event, Context context) {
    String target = System.getenv("THUMBNAIL_BUCKET");
    if (target == null || target.isEmpty()) throw new IllegalStateException("THUMBNAIL_BUCKET is not set");
    int done = 0;
    for (S3EventNotificationRecord r : event.getRecords()) {
      String bucket = r.getS3().getBucket().getName();
      // Keys arrive URL-encoded in events (a space is '+'): decode as AWS tells handlers to.
      String key = r.getS3().getObject().getUrlDecodedKey();
      if (bucket.equals(target)) {
        context.getLogger().log("SKIP " + bucket + "/" + key + ": the thumbnail bucket itself\n");
        continue;
      }
      byte[] thumbnail = thumbnail(bucket, key);
      String format = format(key);
      client().putObject(b -> b.bucket(target).key("thumbnails/" + key).contentType("image/" + format),
          RequestBody.fromBytes(thumbnail));
      context.getLogger().log("THUMBNAIL " + bucket + "/" + key + " -> " + target + "/thumbnails/" + key
          + " (" + thumbnail.length + " bytes)\n");
      done++;
    }
    return "thumbnails " + done;
  }

  private byte[] thumbnail(String bucket, String key) {
    BufferedImage source;
    try (InputStream in = client().getObject(b -> b.bucket(bucket).key(key))) {
      source = ImageIO.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + bucket + "/" + key, e);
    }
    if (source == null) throw new IllegalArgumentException(bucket + "/" + key + " is not an image ImageIO reads");
    String format = format(key);
    BufferedImage scaled = scale(source, format.equals("png"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(scaled, format, out)) throw new IllegalStateException("no ImageIO writer for " + format);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Scaled to fit MAX_SIDE with its proportions kept; never enlarged. JPEG has no alpha, so it gets RGB. */
  static BufferedImage scale(BufferedImage source, boolean alpha) {
    double factor = Math.min(1.0, (double) MAX_SIDE / Math.max(source.getWidth(), source.getHeight()));
    int w = Math.max(1, (int) Math.round(source.getWidth() * factor));
    int h = Math.max(1, (int) Math.round(source.getHeight() * factor));
    BufferedImage out = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(source, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  static String format(String key) {
    return key.toLowerCase(Locale.ROOT).endsWith(".png") ? "png" : "jpeg";
  }

  private synchronized S3Client client() {
    if (s3 == null) {
      S3ClientBuilder b = S3Client.builder()
          .httpClient(UrlConnectionHttpClient.create())
          .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
          .region(Region.of(System.getenv().getOrDefault("AWS_REGION", "us-east-1")));
      String endpoint = System.getenv("AWS_ENDPOINT_URL");
      if (endpoint != null && !endpoint.isEmpty()) {
        // Path-style: a local endpoint has no DNS name per bucket.
        b.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
      }
      s3 = b.build();
    }
    return s3;
  }
}
