package io.eventplane.eventbridge.domain;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import software.amazon.event.ruler.JsonRuleCompiler;

/**
 * EventBridge's event patterns are AWS's event-ruler patterns, and EventBridge refuses a bad one
 * with event-ruler's own reason: "Event pattern is not valid. Reason: {reason}", followed by the
 * parser's position in the form Jackson prints it ({@code \n at [Source: (String)"..."; line: 1,
 * column: 11]}), as recorded against AWS in LocalStack's test_events_patterns.snapshot.json.
 */
public final class EventPatterns {
  private EventPatterns() {}

  /** Refuses a pattern EventBridge refuses (InvalidEventPatternException); else returns it unchanged. */
  public static String validate(String pattern) {
    try {
      JsonRuleCompiler.compile(pattern);
      return pattern;
    } catch (JsonProcessingException e) {
      throw EventsErrors.invalidPattern(reason(e, pattern));
    } catch (Exception e) {
      throw EventsErrors.invalidPattern(String.valueOf(e.getMessage()));
    }
  }

  private static String reason(JsonProcessingException e, String pattern) {
    String message = e.getOriginalMessage();
    JsonLocation at = e.getLocation();
    if (at == null) return message;
    return message + "\n at [Source: (String)\"" + pattern + "\"; line: " + at.getLineNr() + ", column: " + at.getColumnNr() + "]";
  }
}
