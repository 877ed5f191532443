package guildhall.search.compat;

import java.io.IOException;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/** The "lowercase" tokenizer: splits on non-letters (like "letter") and lower-cases each token. */
final class LowerCaseTokenizer extends Tokenizer {
    private static final int MAX_TOKEN_LENGTH = 255;
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
    private final char[] buffer = new char[4096];
    private int bufferLength = 0, bufferIndex = 0, consumed = 0, finalOffset = 0;
    private int pendingHigh = -1;

    private int read() throws IOException {
        if (bufferIndex >= bufferLength) {
            bufferLength = input.read(buffer, 0, buffer.length);
            bufferIndex = 0;
            if (bufferLength <= 0) {
                bufferLength = 0;
                return -1;
            }
        }
        consumed++;
        return buffer[bufferIndex++];
    }

    @Override
    public boolean incrementToken() throws IOException {
        clearAttributes();
        int length = 0, start = -1, end = -1;
        char[] out = term.buffer();
        while (true) {
            int pos = consumed;
            int c = pendingHigh >= 0 ? pendingHigh : read();
            pendingHigh = -1;
            if (c < 0) {
                break;
            }
            int width = 1;
            if (Character.isHighSurrogate((char) c)) {
                int low = read();
                if (low >= 0 && Character.isLowSurrogate((char) low)) {
                    c = Character.toCodePoint((char) c, (char) low);
                    width = 2;
                } else if (low >= 0) {
                    pendingHigh = low;
                }
            }
            if (Character.isLetter(c)) {
                if (length == 0) {
                    start = pos;
                }
                if (length + 2 > out.length) {
                    out = term.resizeBuffer(length + 2);
                }
                length += Character.toChars(Character.toLowerCase(c), out, length);
                end = pos + width;
                if (length >= MAX_TOKEN_LENGTH) {
                    break;
                }
            } else if (length > 0) {
                break;
            }
        }
        finalOffset = correctOffset(consumed);
        if (length == 0) {
            return false;
        }
        term.setLength(length);
        offset.setOffset(correctOffset(start), correctOffset(end));
        return true;
    }

    @Override
    public void end() throws IOException {
        super.end();
        offset.setOffset(finalOffset, finalOffset);
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        bufferLength = bufferIndex = consumed = finalOffset = 0;
        pendingHigh = -1;
    }
}
