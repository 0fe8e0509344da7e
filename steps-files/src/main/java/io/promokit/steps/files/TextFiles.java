package io.promokit.steps.files;

import io.promokit.StepException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading a UTF-8 text file named by a config field, with errors that name the field and the path. */
final class TextFiles {

  private TextFiles() {}

  /**
   * The file's text.
   *
   * @throws StepException (retryable, as Kargo's read errors are) when it is missing, a directory, unreadable
   *     or not UTF-8
   */
  static String read(Path file, String field, String configured) {
    String what = field + ": \"" + configured + "\"";
    if (Files.isDirectory(file)) {
      throw new StepException(what + " is a directory, not a file");
    }
    if (!Files.exists(file)) {
      throw new StepException(what + " does not exist");
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new StepException(what + " is not UTF-8 text", e);
    } catch (IOException e) {
      throw new StepException(what + " cannot be read: " + TarStep.reason(e), e);
    }
  }
}
