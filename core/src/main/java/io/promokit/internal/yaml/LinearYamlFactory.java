package io.promokit.internal.yaml;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.parser.ParserImpl;

/**
 * Jackson's YAML factory whose parsers read their whole text with {@link WholeTextReader}: parsing takes time
 * linear in the text's length, also for one huge value. Callers bound the text's size first.
 */
final class LinearYamlFactory extends YAMLFactory {
  private static final long serialVersionUID = 1L;

  LinearYamlFactory(YAMLFactoryBuilder builder) {
    super(builder);
  }

  @Override
  protected YAMLParser _createParser(char[] data, int offset, int len, IOContext ctxt, boolean recyclable) {
    return parser(new String(data, offset, len), ctxt);
  }

  @Override
  protected YAMLParser _createParser(Reader reader, IOContext ctxt) throws IOException {
    return parser(readAll(reader), ctxt);
  }

  @Override
  protected YAMLParser _createParser(byte[] data, int offset, int len, IOContext ctxt) throws IOException {
    // Jackson's reader detects the encoding (UTF-8, or UTF-16/32 by their byte order mark).
    return parser(readAll(_createReader(data, offset, len, null, ctxt)), ctxt);
  }

  @Override
  protected YAMLParser _createParser(InputStream in, IOContext ctxt) throws IOException {
    return parser(readAll(_createReader(in, null, ctxt)), ctxt);
  }

  private YAMLParser parser(String text, IOContext ctxt) {
    return new WholeTextParser(ctxt, _parserFeatures, _yamlParserFeatures, _objectCodec,
        new ParserImpl(new WholeTextReader(text), _loaderOptions != null ? _loaderOptions : new LoaderOptions()));
  }

  private static String readAll(Reader reader) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[64 * 1024];
    for (int n; (n = reader.read(buffer)) >= 0; ) {
      text.append(buffer, 0, n);
    }
    return text.toString();
  }

  /** A YAML parser over a SnakeYAML parser made here. */
  private static final class WholeTextParser extends YAMLParser {
    WholeTextParser(IOContext ctxt, int parserFeatures, int formatFeatures, ObjectCodec codec, ParserImpl parser) {
      super(ctxt, parserFeatures, formatFeatures, codec, new StringReader(""), parser);
    }
  }
}
