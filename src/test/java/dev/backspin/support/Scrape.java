package dev.backspin.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GETs from the operations endpoint, and series read out of its Prometheus text. */
public final class Scrape {

  // one client per endpoint: no pooled connection outlives the server of one test
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final int port;

  public Scrape(int port) {
    this.port = port;
  }

  /** A GET, bounded as a whole: the request timeout alone stops at the headers, not the body. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build();
    try {
      return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("GET " + path + " did not complete within 15 s");
    }
  }

  /**
   * GETs {@code path} until {@code done} holds, for at most 20 s, and returns the last answer:
   * {@code /ready} of a node that just joined a cluster stays 503 until the partitions have
   * migrated (the cluster is safe).
   */
  public HttpResponse<String> getWhen(String path, Predicate<HttpResponse<String>> done) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    HttpResponse<String> r = get(path);
    while (!done.test(r) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      r = get(path);
    }
    return r;
  }

  /** The Prometheus text of {@code /metrics}; fails unless it answered 200. */
  public String metrics() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/metrics");
    if (r.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** Scrapes until {@code done} holds, for at most 20 s: some meters settle just after the bytes went out. */
  public String metricsWhen(Predicate<String> done) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String text = metrics();
    while (!done.test(text) && System.nanoTime() < deadline) {
      Thread.sleep(50); // the endpoint has no push: polling it is what a scraper does
      text = metrics();
    }
    return text;
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
