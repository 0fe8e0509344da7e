package io.promokit.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The expression corpus (resources: expression-corpus.txt, one expression a line, made by
 * benchmarks/corpus/generate.py from the project's expression cases, templates in examples/docs/tests, and
 * generated Kargo-like variants).
 */
public final class ExpressionCorpus {

  /** How many expressions the corpus file holds (checked on load; JMH needs it as a constant). */
  public static final int SIZE = 5200;

  private ExpressionCorpus() {}

  /** Every expression of the corpus, in file order. */
  public static List<String> load() {
    List<String> out = new ArrayList<>();
    try (InputStream in = ExpressionCorpus.class.getResourceAsStream("expression-corpus.txt")) {
      if (in == null) {
        throw new IllegalStateException("expression-corpus.txt is missing from the benchmarks' resources");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.startsWith("#") && !line.isBlank()) {
          out.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (out.size() != SIZE) {
      throw new IllegalStateException("the corpus holds " + out.size() + " expressions, expected " + SIZE
          + " (update ExpressionCorpus.SIZE after regenerating it)");
    }
    return out;
  }

  /** Each expression as a template with nothing around it. */
  public static List<String> templates(List<String> expressions) {
    return expressions.stream().map(e -> "${{ " + e + " }}").toList();
  }
}
