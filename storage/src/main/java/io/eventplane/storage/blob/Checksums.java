package io.eventplane.storage.blob;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The checksums S3 computes over an object ({@code x-amz-checksum-<algorithm>}), updated as the
 * body streams and shown as S3 shows them: the big-endian bytes of the value, base64.
 */
public final class Checksums {
  public static final Set<String> ALGORITHMS = Set.of("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256");

  private Checksums() {}

  /** One running checksum. */
  public interface Running {
    void update(byte[] bytes, int offset, int length);

    /** The value, base64. */
    String value();
  }

  /** @throws IllegalArgumentException for an algorithm S3 does not have */
  public static Running start(String algorithm) {
    String a = algorithm.toUpperCase(Locale.ROOT);
    return switch (a) {
      case "CRC32" -> ofChecksum(new CRC32(), 4);
      case "CRC32C" -> ofChecksum(new CRC32C(), 4);
      case "CRC64NVME" -> new Crc64Nvme();
      case "SHA1" -> ofDigest("SHA-1");
      case "SHA256" -> ofDigest("SHA-256");
      default -> throw new IllegalArgumentException("not a checksum algorithm: " + algorithm);
    };
  }

  public static MessageDigest md5() {
    return digest("MD5");
  }

  private static Running ofChecksum(Checksum checksum, int bytes) {
    return new Running() {
      @Override
      public void update(byte[] b, int off, int len) {
        checksum.update(b, off, len);
      }

      @Override
      public String value() {
        long v = checksum.getValue();
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) out[i] = (byte) (v >>> (8 * (bytes - 1 - i)));
        return Base64.getEncoder().encodeToString(out);
      }
    };
  }

  private static Running ofDigest(String name) {
    MessageDigest d = digest(name);
    return new Running() {
      @Override
      public void update(byte[] b, int off, int len) {
        d.update(b, off, len);
      }

      @Override
      public String value() {
        return Base64.getEncoder().encodeToString(d.digest());
      }
    };
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " is missing from this JVM", e);
    }
  }

  /** CRC-64/NVME: reflected, polynomial 0xAD93D23594C93659, init and xorout all ones. */
  static final class Crc64Nvme implements Running {
    private static final long[] TABLE = new long[256];

    static {
      long reflected = 0x9A6C9329AC4BC9B5L;
      for (int i = 0; i < 256; i++) {
        long crc = i;
        for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ reflected : crc >>> 1;
        TABLE[i] = crc;
      }
    }

    private long crc = -1L;

    @Override
    public void update(byte[] b, int off, int len) {
      long c = crc;
      for (int i = off; i < off + len; i++) c = TABLE[(int) ((c ^ b[i]) & 0xFF)] ^ (c >>> 8);
      crc = c;
    }

    long raw() {
      return ~crc;
    }

    @Override
    public String value() {
      long v = raw();
      byte[] out = new byte[8];
      for (int i = 0; i < 8; i++) out[i] = (byte) (v >>> (8 * (7 - i)));
      return Base64.getEncoder().encodeToString(out);
    }
  }
}
