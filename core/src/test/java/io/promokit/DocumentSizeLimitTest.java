package io.promokit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.documents.DocumentReading;
import io.promokit.documents.Problem;
import io.promokit.documents.PromotionDocuments;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Promotion documents are bounded by size before they are parsed. */
class DocumentSizeLimitTest {

  @TempDir Path dir;

  private static final String STEP = """
      apiVersion: promokit.io/v1
      kind: CustomPromotionStep
      metadata:
        name: small
      spec:
        image: x
        command: ["true"]
      """;

  @Test
  void aFileOverTheDefaultLimitIsAProblemAndIsNeverReadWhileTheOthersAre() throws Exception {
    Path huge = dir.resolve("huge.yaml");
    try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(100L * 1024 * 1024); // 100 MB: read, it would take minutes and gigabytes
    }
    Path small = Files.writeString(dir.resolve("small.yaml"), STEP);

    DocumentReading reading = PromotionDocuments.read(List.of(huge, small));

    assertThat(reading.problems()).singleElement().extracting(Problem::message).isEqualTo("the file has 104857600 bytes, more than the"
        + " 2097152 a promotion document may have (a template, task or step definition file; the limit is a setting"
        + " of the host: PromotionDocuments.read, promokit --max-document-size)");
    assertThat(reading.documents().customSteps()).hasSize(1);
  }

  @Test
  void theLimitIsTheHostsToSetAndAFileAtTheLimitIsRead() throws Exception {
    Path small = Files.writeString(dir.resolve("small.yaml"), STEP);
    long size = Files.size(small);

    assertThat(PromotionDocuments.read(List.of(small), size).problems()).isEmpty();
    assertThat(PromotionDocuments.read(List.of(small), size - 1).problems()).singleElement()
        .extracting(Problem::message).isEqualTo("the file has " + size + " bytes, more than the " + (size - 1) + " a promotion"
            + " document may have (a template, task or step definition file; the limit is a setting of the host:"
            + " PromotionDocuments.read, promokit --max-document-size)");
    assertThatThrownBy(() -> PromotionDocuments.read(List.of(small), 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDocumentSize must be positive, but was 0");
  }

  @Test
  void aTextOverTheLimitIsRefusedBeforeParsing() {
    String big = "description: " + "a".repeat((int) PromotionDocuments.DEFAULT_MAX_DOCUMENT_SIZE) + "\n";

    assertThat(PromotionDocuments.read(big, "big.yaml").problems()).singleElement().extracting(Problem::message).isEqualTo("the file"
        + " has " + big.length() + " characters, more than the 2097152 a promotion document may have (a template, task"
        + " or step definition file; the limit is a setting of the host: PromotionDocuments.read, promokit"
        + " --max-document-size)");
  }
}
