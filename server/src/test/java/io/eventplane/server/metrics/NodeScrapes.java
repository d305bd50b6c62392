package io.eventplane.server.metrics;

import io.eventplane.server.EmbeddedServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every node's scrape at once: a queue's series come from the node that owns it, so sums go over all. */
record NodeScrapes(List<Scrape> nodes) {
  static NodeScrapes of(EmbeddedServer server) {
    List<Scrape> all = new ArrayList<>();
    for (int i = 0; i < EmbeddedServer.nodes(); i++) all.add(Scrape.of(server.endpoint(i)));
    return new NodeScrapes(all);
  }

  double sum(String name, Map<String, String> labels) {
    double total = 0;
    for (Scrape s : nodes) total += s.sum(name, labels);
    return total;
  }

  /** How many nodes have a sample of this name with these labels. */
  long nodesWith(String name, Map<String, String> labels) {
    return nodes.stream().filter(s -> s.has(name, labels)).count();
  }
}
