package io.eventplane.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisFirehoseEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Firehose data-transformation function: each record comes back upper-cased with a newline added
 * (result Ok), except records starting with "drop" (Dropped) and "fail" (ProcessingFailed), in the
 * response format Firehose expects ({@code records[recordId, result, data]}).
 */
public class FirehoseTransformer implements RequestHandler<KinesisFirehoseEvent, Map<String, Object>> {
  @Override
  public Map<String, Object> handleRequest(KinesisFirehoseEvent event, Context context) {
    List<Map<String, Object>> records = new ArrayList<>();
    for (KinesisFirehoseEvent.Record r : event.getRecords()) {
      ByteBuffer data = r.getData();
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("recordId", r.getRecordId());
      if (text.startsWith("drop")) {
        out.put("result", "Dropped");
      } else if (text.startsWith("fail")) {
        out.put("result", "ProcessingFailed");
      } else {
        out.put("result", "Ok");
        out.put("data", Base64.getEncoder().encodeToString((text.toUpperCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8)));
      }
      records.add(out);
    }
    return Map.of("records", records);
  }
}
