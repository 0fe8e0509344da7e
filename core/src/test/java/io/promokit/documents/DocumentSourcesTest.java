package io.promokit.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.promokit.documents.DocumentException;
import io.promokit.documents.DocumentSet;
import io.promokit.documents.PromotionDocuments;
import io.promokit.documents.PromotionTemplate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Documents read from a stream, a URL (file, jar, HTTP on 127.0.0.1) and the class path; messages name the source. */
class DocumentSourcesTest {

  private static final String TEMPLATE = "steps:\n- uses: sleep\n  as: nap\n  config:\n    duration: 1s\n";
  private static final String MISSPELLED = "steps:\n- uses: sleep\n  as: nap\n  contineOnError: true\n";
  private static final String DID_YOU_MEAN = ":4:3: steps[0].contineOnError: unknown field; did you mean "
      + "\"continueOnError\"?";

  @TempDir Path dir;
  private HttpServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void readsAStreamAndNamesItInProblems() {
    DocumentSet documents = PromotionDocuments.load(stream(TEMPLATE), "from-the-database.yaml");
    assertThat(documents.singleTemplate().steps()).hasSize(1);

    assertThatThrownBy(() -> PromotionDocuments.load(stream(MISSPELLED), "row-42.yaml"))
        .isInstanceOf(DocumentException.class).hasMessage("row-42.yaml" + DID_YOU_MEAN);
  }

  @Test
  void aStreamThatFailsIsAnErrorNamingIt() {
    InputStream broken = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("connection reset");
      }
    };
    assertThatThrownBy(() -> PromotionDocuments.load(broken, "blob-7.yaml"))
        .isInstanceOf(DocumentException.class).hasMessage("blob-7.yaml: cannot read: connection reset");
  }

  @Test
  void readsAClassPathResourceRelativeToItsAnchorOrAbsolute() {
    PromotionTemplate relative = PromotionDocuments.loadResource(DocumentSourcesTest.class, "promote.yaml")
        .singleTemplate();
    PromotionTemplate absolute = PromotionDocuments.loadResource(DocumentSourcesTest.class,
        "/io/promokit/documents/promote.yaml").singleTemplate();

    assertThat(relative.steps()).extracting(s -> s.as()).containsExactly("nap");
    assertThat(absolute.steps()).extracting(s -> s.as()).containsExactly("nap");
    assertThat(relative.steps().get(0).location().file()).isEqualTo("classpath:io/promokit/documents/promote.yaml");
  }

  @Test
  void aClassPathResourceProblemOrAbsenceNamesTheResource() {
    assertThatThrownBy(() -> PromotionDocuments.loadResource(DocumentSourcesTest.class, "misspelled.yaml"))
        .isInstanceOf(DocumentException.class)
        .hasMessage("classpath:io/promokit/documents/misspelled.yaml" + DID_YOU_MEAN);
    assertThatThrownBy(() -> PromotionDocuments.loadResource(DocumentSourcesTest.class, "nope.yaml"))
        .isInstanceOf(DocumentException.class)
        .hasMessage("classpath:io/promokit/documents/nope.yaml: no such class path resource (looked up from "
            + DocumentSourcesTest.class.getName() + ")");
  }

  @Test
  void readsFileAndJarUrls() throws Exception {
    Path file = Files.writeString(dir.resolve("stage.yaml"), TEMPLATE);
    Path jar = dir.resolve("templates.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("promotions/bad.yaml"));
      out.write(MISSPELLED.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    URL inJar = new URL("jar:" + jar.toUri() + "!/promotions/bad.yaml");

    assertThat(PromotionDocuments.load(file.toUri().toURL()).singleTemplate().steps()).hasSize(1);
    assertThatThrownBy(() -> PromotionDocuments.load(inJar))
        .isInstanceOf(DocumentException.class).hasMessage(inJar + DID_YOU_MEAN);
    assertThatThrownBy(() -> PromotionDocuments.load(dir.resolve("gone.yaml").toUri().toURL()))
        .isInstanceOf(DocumentException.class)
        .hasMessageStartingWith(dir.resolve("gone.yaml").toUri().toURL() + ": cannot read: ");
  }

  @Test
  void readsAnHttpUrlNamesItWithoutItsPasswordAndReportsAStatusOtherThan200() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/templates/", exchange -> {
      boolean found = exchange.getRequestURI().getPath().endsWith("/bad.yaml");
      byte[] body = (found ? MISSPELLED : "not here").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(found ? 200 : 404, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/templates/";

    assertThatThrownBy(() -> PromotionDocuments.load(new URL("http://deploy:hunter2@127.0.0.1:"
        + server.getAddress().getPort() + "/templates/bad.yaml")))
        .isInstanceOf(DocumentException.class)
        .hasMessage(base + "bad.yaml" + DID_YOU_MEAN);
    assertThatThrownBy(() -> PromotionDocuments.load(new URL(base + "missing.yaml")))
        .isInstanceOf(DocumentException.class)
        .hasMessage(base + "missing.yaml: cannot read: the server answered HTTP 404");
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
