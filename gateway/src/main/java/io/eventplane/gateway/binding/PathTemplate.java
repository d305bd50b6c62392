package io.eventplane.gateway.binding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A REST-JSON operation's path as the API reference writes it, with {@code {Name}} labels (each one
 * path segment), e.g. {@code /2015-03-31/functions/{FunctionName}/invocations}; a trailing slash is
 * allowed when matching.
 */
public record PathTemplate(String template, Pattern pattern, List<String> labels) {
  private static final Pattern LABEL = Pattern.compile("\\{([A-Za-z]+)}");

  public static PathTemplate of(String template) {
    List<String> labels = new ArrayList<>();
    StringBuilder regex = new StringBuilder();
    Matcher m = LABEL.matcher(template);
    int at = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(at, m.start()))).append("([^/]+)");
      labels.add(m.group(1));
      at = m.end();
    }
    regex.append(Pattern.quote(template.substring(at))).append("/?");
    return new PathTemplate(template, Pattern.compile(regex.toString()), List.copyOf(labels));
  }

  /** The labels' values (still percent-encoded) if the path is this template's, else null. */
  public Map<String, String> match(String path) {
    Matcher m = pattern.matcher(path);
    if (!m.matches()) return null;
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) values.put(labels.get(i), m.group(i + 1));
    return values;
  }
}
