package io.promokit.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.expressions.SecretMasker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LongLineMaskerTest {

  // Its characters appear nowhere else in the lines, so any of them shown is a leak.
  private static final String SECRET = "Q7Z#9J4W";

  private final SecretMasker secrets = new SecretMasker();
  private final LongLineMasker masker = new LongLineMasker(secrets);
  private final List<String> shown = new ArrayList<>();

  /** Feeds a line in pieces, as a runtime delivers a long line, and keeps every non-empty text shown. */
  private String feed(String... pieces) {
    for (int i = 0; i < pieces.length - 1; i++) {
      show(masker.piece(pieces[i]));
    }
    show(masker.endOfLine(pieces[pieces.length - 1]));
    return String.join("", shown);
  }

  private void show(String text) {
    if (!text.isEmpty()) {
      shown.add(text);
    }
  }

  private void assertNoSecretCharacterShown() {
    assertThat(shown).allSatisfy(text -> assertThat(text).doesNotContainPattern("[Q7Z#9J4W]"));
  }

  @Test
  void masksASecretCutInTwoByThePieceBoundary() {
    secrets.register(SECRET);

    String line = feed("x".repeat(100) + "the Q7Z", "#9J4W was used");

    assertThat(line).isEqualTo("x".repeat(100) + "the *** was used");
    assertNoSecretCharacterShown();
  }

  @Test
  void masksASecretSpreadOverPiecesShorterThanIt() {
    secrets.register(SECRET);

    String line = feed("a Q7", "Z", "#9J", "4", "W b");

    assertThat(line).isEqualTo("a *** b");
    assertNoSecretCharacterShown();
  }

  @Test
  void movesTheCutBackWhenASecretWhollyInThePieceWouldBeCut() {
    secrets.register(SECRET);

    // The usual cut keeps back the last 7 characters, which would leave "Q" of the secret in front of it.
    String first = masker.piece("abc Q7Z#9J4W z");

    assertThat(first).isEqualTo("abc ");
    assertThat(masker.endOfLine("z")).isEqualTo("*** zz");
  }

  @Test
  void holdsBackNoMoreThanTwiceTheLongestSecret() {
    secrets.register(SECRET);
    String piece = "y".repeat(64 * 1024);

    String shownNow = masker.piece(piece);

    assertThat(shownNow.length()).isGreaterThanOrEqualTo(piece.length() - 2 * SECRET.length());
    assertThat(masker.holdsText()).isTrue();
    assertThat(shownNow + masker.endOfLine("")).isEqualTo(piece);
    assertThat(masker.holdsText()).isFalse();
  }

  @Test
  void passesPiecesOnUnchangedWhenNoSecretIsKnown() {
    assertThat(masker.piece("first part ")).isEqualTo("first part ");
    assertThat(masker.holdsText()).isFalse();
    assertThat(masker.endOfLine("last part")).isEqualTo("last part");
  }

  @Test
  void masksARunOfTheSameSecretAcrossManyPieces() {
    secrets.register("abab");
    StringBuilder pieces = new StringBuilder();
    List<String> input = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      input.add("ab");
      pieces.append("ab");
    }

    String line = feed(input.toArray(String[]::new));

    assertThat(line).isEqualTo(secrets.mask(pieces.toString()));
    assertThat(String.join("", shown)).doesNotContain("abab");
  }

  @Test
  void aSecretRegisteredInTheMiddleOfALineIsMaskedFromThenOn() {
    show(masker.piece("before "));
    secrets.register(SECRET);

    String line = feed("then Q7Z#", "9J4W!");

    assertThat(line).isEqualTo("before then ***!");
  }
}
