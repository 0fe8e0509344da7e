package io.promokit.runtime.docker;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code -----BEGIN TYPE----- ... -----END TYPE-----} block of a PEM file, decoded. */
record PemBlock(String type, byte[] der) {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  /**
   * Every block of {@code text}, in order; text around the blocks (comments, "Bag Attributes") is skipped.
   *
   * @throws IllegalArgumentException when a block's body is not base64, or a block has headers (an encrypted key)
   */
  static List<PemBlock> read(String text) {
    List<PemBlock> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String body = m.group(2);
      if (body.contains(":")) {
        throw new IllegalArgumentException("the " + m.group(1) + " block is encrypted (it has PEM headers); "
            + "Docker TLS keys must be unencrypted");
      }
      blocks.add(new PemBlock(m.group(1), Base64.getMimeDecoder().decode(body)));
    }
    return blocks;
  }
}
