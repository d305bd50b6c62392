package io.eventplane.firehose.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.xerial.snappy.SnappyFramedOutputStream;
import org.xerial.snappy.SnappyHadoopCompatibleOutputStream;

/**
 * An object's body from its records, concatenated with no delimiter and compressed as the
 * destination's CompressionFormat says: GZIP (one gzip member), ZIP (one entry, named as the object
 * without its extension), Snappy (the framing format) or HADOOP_SNAPPY (Hadoop's block format).
 */
final class Compression {
  private Compression() {}

  static byte[] body(String format, List<byte[]> records, String entryName) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      OutputStream out = switch (format) {
        case "GZIP" -> new GZIPOutputStream(bytes);
        case "ZIP" -> {
          ZipOutputStream zip = new ZipOutputStream(bytes);
          zip.putNextEntry(new ZipEntry(entryName));
          yield zip;
        }
        case "Snappy" -> new SnappyFramedOutputStream(bytes);
        case "HADOOP_SNAPPY" -> new SnappyHadoopCompatibleOutputStream(bytes);
        default -> bytes;
      };
      for (byte[] r : records) out.write(r);
      if (out instanceof ZipOutputStream zip) zip.closeEntry();
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
