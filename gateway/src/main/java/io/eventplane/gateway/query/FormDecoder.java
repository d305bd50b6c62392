package io.eventplane.gateway.query;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes {@code application/x-www-form-urlencoded} data (a form body or a query string) into
 * parameters. Strict where {@link java.net.URLDecoder} is lenient: a broken escape or bytes that
 * are not UTF-8 fail instead of turning into U+FFFD, so a client never has a message body silently
 * altered.
 */
public final class FormDecoder {
  private FormDecoder() {}

  /** Thrown for data that is not a well-formed form encoding. */
  public static final class MalformedFormException extends IllegalArgumentException {
    MalformedFormException(String message) {
      super(message);
    }
  }

  public static Map<String, String> decode(String encoded) {
    return decode(encoded == null ? new byte[0] : encoded.getBytes(StandardCharsets.UTF_8));
  }

  /** The parameters in order of appearance; for a repeated name the first value wins. */
  public static Map<String, String> decode(byte[] encoded) {
    Map<String, String> params = new LinkedHashMap<>();
    int n = encoded.length;
    int start = 0;
    while (start < n) {
      int end = indexOf(encoded, (byte) '&', start, n);
      if (end > start) {
        int eq = indexOf(encoded, (byte) '=', start, end);
        String name = component(encoded, start, eq);
        String value = eq < end ? component(encoded, eq + 1, end) : "";
        params.putIfAbsent(name, value);
      }
      start = end + 1;
    }
    return params;
  }

  private static int indexOf(byte[] data, byte wanted, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] == wanted) return i;
    }
    return to;
  }

  private static String component(byte[] data, int from, int to) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      byte b = data[i];
      if (b == '+') {
        bytes.write(' ');
      } else if (b == '%') {
        if (i + 2 >= to) throw new MalformedFormException("Incomplete percent-escape in the form data.");
        int hi = Character.digit(data[i + 1], 16);
        int lo = Character.digit(data[i + 2], 16);
        if (hi < 0 || lo < 0) throw new MalformedFormException("Invalid percent-escape in the form data.");
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        bytes.write(b);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedFormException("The form data is not valid UTF-8 once decoded.");
    }
  }
}
