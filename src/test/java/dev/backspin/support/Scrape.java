package dev.backspin.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GETs from the operations endpoint, and series read out of its Prometheus text. */
public final class Scrape {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final int port;

  public Scrape(int port) {
    this.port = port;
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  /** The Prometheus text of {@code /metrics}; fails unless it answered 200. */
  public String metrics() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/metrics");
    if (r.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** The value of one series, named with its labels in Prometheus order, e.g. {@code x_total{service="reverse"}}; NaN if absent. */
  public static double value(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  /** Every value that label {@code label} takes in series whose name starts with {@code prefix}. */
  public static Set<String> labelValues(String text, String prefix, String label) {
    Set<String> values = new TreeSet<>();
    Pattern p = Pattern.compile(label + "=\"([^\"]*)\"");
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix)) {
        Matcher m = p.matcher(line);
        if (m.find()) {
          values.add(m.group(1));
        }
      }
    }
    return values;
  }
}
