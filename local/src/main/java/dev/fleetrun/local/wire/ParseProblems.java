package dev.fleetrun.local.wire;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in words what is wrong with a request body that a parser refused: the caller reads "it nests deeper than
 * 100 levels" or "it ends before the value is complete, at byte 12", never the parser's own wording (its class
 * names, settings and codes are no help to someone who sent a request). The fleet file of {@code fleetrun serve
 * --fleet} is told the same way.
 */
public final class ParseProblems {
    private static final Pattern UNEXPECTED = Pattern.compile("^Unexpected character \\('(.+?)' \\(code \\d+\\)\\)");
    /** The token alone: Jackson's message goes on "': was expecting (JSON String, ...", which is not the caller's. */
    private static final Pattern UNRECOGNIZED = Pattern.compile("^Unrecognized token '([^']{1,40})");
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.{0,80})'");
    private static final Pattern ALLOWED = Pattern.compile("maximum allowed \\((\\d+)");
    private static final Pattern INVALID_TOKEN = Pattern.compile("^Invalid CBOR value token \\(first byte\\): (0x\\p{XDigit}+)");

    private ParseProblems() {
    }

    /** Settings shared by the JSON and CBOR readers of request bodies: the nesting limit, one value per member name. */
    static StreamReadConstraints constraints() {
        return StreamReadConstraints.builder().maxNestingDepth(WireLimits.MAX_NESTING_DEPTH).build();
    }

    static StreamReadFeature duplicates() {
        return StreamReadFeature.STRICT_DUPLICATE_DETECTION;
    }

    /**
     * The text of a body that must be UTF-8, decoded strictly: a byte sequence that is not UTF-8 (a stray
     * continuation byte, a truncated sequence, an overlong form, a surrogate) is reported, never replaced.
     *
     * @return the text, or null when the body is not UTF-8; then {@code badOffset[0]} holds the offset of the first bad byte
     */
    static String strictUtf8(byte[] body, int[] badOffset) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            badOffset[0] = in.position();
            return null;
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /**
     * What a parser found wrong, as a clause that follows "The request body is not valid JSON: " (or CBOR), with
     * where it found it.
     *
     * @param format "JSON" or "CBOR"
     */
    public static String describe(JacksonException e, String format) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String what;
        if (e instanceof StreamConstraintsException) {
            what = limit(message);
        } else if (e instanceof JsonEOFException || message.startsWith("Unexpected end-of-input")
                || message.contains("reached end-of-input")) {
            what = "it ends before the " + format + " value is complete (cut short?)";
        } else if (message.contains("UTF-8") || message.contains("UTF8")) {
            what = "a text string in it is not UTF-8";
        } else if (message.startsWith("Trailing token")) {
            what = "more follows after the " + (format.equals("JSON") ? "JSON object" : "CBOR map") + "; send exactly one";
        } else if (matches(DUPLICATE, message)) {
            what = "member '" + group(DUPLICATE, message) + "' appears more than once in one object";
        } else if (matches(UNEXPECTED, message)) {
            String expected = message.contains("was expecting ") ? message.substring(message.indexOf("was expecting ")
                    + "was expecting ".length()) : null;
            what = "unexpected character '" + group(UNEXPECTED, message) + "'"
                    + (expected == null ? "" : " where " + article(expected) + " was expected");
        } else if (matches(UNRECOGNIZED, message)) {
            what = "'" + group(UNRECOGNIZED, message) + "' is not a JSON value (a string, number, object, array,"
                    + " true, false or null)";
        } else if (message.startsWith("Non-standard token")) {
            what = "NaN and Infinity are not JSON numbers";
        } else if (message.startsWith("Illegal unquoted character")) {
            what = "a control character inside a string is not escaped";
        } else if (message.startsWith("Invalid numeric value") || message.startsWith("Invalid number")) {
            what = "a number is malformed (leading zeroes, a lone sign or point)";
        } else if (matches(INVALID_TOKEN, message)) {
            what = "byte " + group(INVALID_TOKEN, message) + " begins no CBOR data item";
        } else if (message.startsWith("Unexpected Break")) {
            what = "a break byte (0xFF) closes no indefinite-length item";
        } else if (message.startsWith("Illegal length")) {
            what = "an item declares a length longer than the body";
        } else if (message.startsWith("Unexpected close marker")) {
            what = "a closing bracket does not match the one it closes";
        } else if (message.startsWith("Unexpected character") || message.startsWith("Unexpected token")) {
            what = "a value is where none may be";
        } else {
            what = "it is not well-formed " + format;
        }
        return what + where(e.getLocation(), format);
    }

    /** A parser limit that was exceeded, with the limit as the parser was set up (its message names it). */
    private static String limit(String message) {
        Matcher allowed = ALLOWED.matcher(message);
        String max = allowed.find() ? allowed.group(1) : null;
        if (message.startsWith("Document nesting depth")) {
            return "it nests arrays and objects deeper than " + (max == null ? WireLimits.MAX_NESTING_DEPTH : max) + " levels";
        }
        if (message.startsWith("Number value length")) {
            return "a number has more than " + (max == null ? StreamReadConstraints.DEFAULT_MAX_NUM_LEN : max) + " digits";
        }
        if (message.startsWith("String value length")) {
            return "a string is longer than " + (max == null ? StreamReadConstraints.DEFAULT_MAX_STRING_LEN : max) + " characters";
        }
        if (message.startsWith("Name length")) {
            return "a member name is longer than " + (max == null ? StreamReadConstraints.DEFAULT_MAX_NAME_LEN : max)
                    + " characters";
        }
        return "it is larger or deeper than this endpoint reads";
    }

    private static String where(JsonLocation location, String format) {
        if (location == null) {
            return "";
        }
        if (format.equals("JSON") && location.getLineNr() > 0) {
            return ", at line " + location.getLineNr() + ", column " + location.getColumnNr();
        }
        long offset = location.getByteOffset() >= 0 ? location.getByteOffset() : location.getCharOffset();
        return offset >= 0 ? ", at byte " + offset : "";
    }

    private static String article(String expected) {
        if (expected.startsWith("(")) {
            return "a JSON value";
        }
        return expected.startsWith("a ") || expected.startsWith("an ") || expected.startsWith("(") ? expected : "a " + expected;
    }

    private static boolean matches(Pattern pattern, String message) {
        return pattern.matcher(message).find();
    }

    private static String group(Pattern pattern, String message) {
        Matcher m = pattern.matcher(message);
        return m.find() ? m.group(1) : "";
    }
}
