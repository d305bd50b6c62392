package io.eventplane.functions.code;

import io.eventplane.functions.domain.FunctionErrors;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A deployment package as uploaded (Code.ZipFile): checked to be a zip whose entries stay inside
 * the function's directory and whose unzipped size is within Lambda's limit.
 *
 * @param sha256 the base64 SHA-256 of the zip, as CodeSha256 reports it
 */
public record CodePackage(byte[] zip, String sha256, long unzippedSize) {
  /** Lambda's limit for a package uploaded in the request. */
  public static final long MAX_ZIPPED = 50L * 1024 * 1024;
  public static final long MAX_UNZIPPED = 262_144_000L;

  public static CodePackage of(byte[] zip) {
    if (zip.length > MAX_ZIPPED) {
      throw new io.eventplane.common.error.ServiceException("RequestEntityTooLargeException",
          "Zipped size must be smaller than " + MAX_ZIPPED + " bytes");
    }
    long total;
    try (InputStream in = new ByteArrayInputStream(zip)) {
      total = unzippedSize(in);
    } catch (IOException e) {
      throw unreadable();
    }
    return new CodePackage(zip, digest(zip), total);
  }

  /**
   * A package fetched from S3 into {@code file} (Code.S3Bucket/S3Key): no 50 MB limit on the zip,
   * only Lambda's unzipped limit, which also bounds the zip. The zip is checked while it is still
   * a file, so a package that is too big or no zip at all is refused before it is read whole.
   * Blocking.
   */
  public static CodePackage fromFile(Path file) throws IOException {
    if (Files.size(file) > MAX_UNZIPPED) throw tooBig();
    long total;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      total = unzippedSize(in);
    }
    // The store keeps a package as one value, so it is read whole once it is known to be good.
    byte[] zip = Files.readAllBytes(file);
    return new CodePackage(zip, digest(zip), total);
  }

  /** Reads every entry: entries must stay inside the function's directory and add up to the limit at most. */
  private static long unzippedSize(InputStream raw) throws IOException {
    long total = 0;
    int entries = 0;
    try (ZipInputStream in = new ZipInputStream(raw)) {
      byte[] buf = new byte[64 * 1024];
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        entries++;
        if (!safe(e.getName())) throw unreadable();
        for (int n; (n = in.read(buf)) > 0; ) {
          total += n;
          if (total > MAX_UNZIPPED) throw tooBig();
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw unreadable();
    }
    if (entries == 0) throw unreadable();
    return total;
  }

  private static RuntimeException tooBig() {
    return FunctionErrors.invalid("Unzipped size must be smaller than " + MAX_UNZIPPED + " bytes");
  }

  /** The digest as a file name: base64url, no padding. */
  public static String directoryName(String sha256) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Base64.getDecoder().decode(sha256));
  }

  static boolean safe(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.startsWith("\\") || name.contains("\0")) return false;
    for (String part : name.split("[/\\\\]")) {
      if (part.equals("..")) return false;
    }
    return true;
  }

  private static RuntimeException unreadable() {
    return FunctionErrors.invalid("Could not unzip uploaded file. Please check your file, then try to upload again.");
  }

  private static String digest(byte[] zip) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(zip));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
