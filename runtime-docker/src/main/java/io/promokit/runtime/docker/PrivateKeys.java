package io.promokit.runtime.docker;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;

/**
 * Private keys from PEM blocks with the JDK's {@link KeyFactory}, which reads PKCS#8 only: PKCS#1 (RSA) and SEC1
 * (EC) keys are wrapped into PKCS#8 first. The DER handled here is only these three fixed structures.
 */
final class PrivateKeys {

  // AlgorithmIdentifier OIDs, DER-encoded (tag, length, value).
  private static final byte[] RSA_ENCRYPTION = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D,
      0x01, 0x01, 0x01};
  private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
  private static final byte[] DER_NULL = {0x05, 0x00};
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  private PrivateKeys() {}

  static boolean knows(String pemType) {
    return pemType.equals("PRIVATE KEY") || pemType.equals("RSA PRIVATE KEY") || pemType.equals("EC PRIVATE KEY");
  }

  static PrivateKey decode(PemBlock block) throws GeneralSecurityException {
    return switch (block.type()) {
      case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8(sequence(RSA_ENCRYPTION, DER_NULL), block.der())));
      case "EC PRIVATE KEY" -> KeyFactory.getInstance("EC")
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8(sequence(EC_PUBLIC_KEY, curveOf(block.der())), block.der())));
      case "PRIVATE KEY" -> pkcs8(block.der());
      default -> throw new IllegalArgumentException("not a private key: " + block.type());
    };
  }

  /** A PKCS#8 key of any algorithm the JDK has for Docker's keys. */
  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    InvalidKeySpecException last = null;
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException e) {
        last = e;
      }
    }
    throw new InvalidKeySpecException("a PKCS#8 key that is neither RSA, EC nor Ed25519", last);
  }

  /** PrivateKeyInfo ::= SEQUENCE { version 0, algorithm AlgorithmIdentifier, privateKey OCTET STRING }. */
  private static byte[] pkcs8(byte[] algorithm, byte[] key) {
    return sequence(VERSION_0, algorithm, tlv(0x04, key));
  }

  /**
   * The named curve of a SEC1 ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING,
   * [0] parameters (the curve's OID), [1] publicKey }: its [0] element, as a DER OID.
   */
  private static byte[] curveOf(byte[] sec1) {
    Der outer = new Der(sec1, 0);
    if (outer.tag != 0x30) {
      throw new IllegalArgumentException("an EC PRIVATE KEY must be a DER sequence");
    }
    int at = outer.start;
    while (at < outer.end) {
      Der element = new Der(sec1, at);
      if (element.tag == 0xA0) {
        Der oid = new Der(sec1, element.start);
        if (oid.tag != 0x06) {
          throw new IllegalArgumentException("an EC PRIVATE KEY whose curve is not a named curve");
        }
        return Arrays.copyOfRange(sec1, element.start, oid.end);
      }
      at = element.end;
    }
    throw new IllegalArgumentException("an EC PRIVATE KEY without its curve ([0] parameters)");
  }

  private static byte[] sequence(byte[]... elements) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] element : elements) {
      body.writeBytes(element);
    }
    return tlv(0x30, body.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = value.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  /** One DER element's tag and where its content starts and ends. */
  private static final class Der {
    final int tag;
    final int start;
    final int end;

    Der(byte[] der, int offset) {
      if (offset + 2 > der.length) {
        throw new IllegalArgumentException("truncated DER");
      }
      tag = der[offset] & 0xFF;
      int length = der[offset + 1] & 0xFF;
      int at = offset + 2;
      if (length >= 0x80) {
        int bytes = length & 0x7F;
        if (bytes == 0 || bytes > 3 || at + bytes > der.length) {
          throw new IllegalArgumentException("a DER length this key cannot have");
        }
        length = 0;
        for (int i = 0; i < bytes; i++) {
          length = (length << 8) | (der[at++] & 0xFF);
        }
      }
      start = at;
      end = at + length;
      if (end > der.length) {
        throw new IllegalArgumentException("truncated DER");
      }
    }
  }
}
