package dev.fleetrun.local.sqs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * An SQS message attribute: its data type ({@code String}, {@code Number}, {@code Binary}, each optionally with a
 * custom suffix such as {@code Number.float}) and its value, text or bytes.
 *
 * @param dataType    the data type as sent
 * @param stringValue the value of a String or Number attribute, else null
 * @param binaryValue the value of a Binary attribute, else null
 */
public record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {

    /** A String attribute. */
    public static MessageAttribute text(String value) {
        return new MessageAttribute("String", value, null);
    }

    /** Whether the data type is Binary (or a custom Binary type). */
    public boolean binary() {
        return dataType.equals("Binary") || dataType.startsWith("Binary.");
    }

    /** The MD5 of a message body, as SQS reports it ({@code MD5OfMessageBody}): lower-case hex. */
    public static String md5OfBody(String body) {
        return HexFormat.of().formatHex(md5().digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The MD5 of message attributes as SQS computes it ({@code MD5OfMessageAttributes}; the SDK for Java checks it):
     * for each attribute in the order of its name, the name, the data type, a transport byte (1 for text, 2 for
     * bytes) and the value, each but the transport byte preceded by its length in 4 bytes, big-endian. Null when
     * there are no attributes. Source: the Amazon SQS Developer Guide, "Calculating the MD5 message digest for
     * message attributes".
     */
    public static String md5OfAttributes(Map<String, MessageAttribute> attributes) {
        if (attributes.isEmpty()) {
            return null;
        }
        MessageDigest md5 = md5();
        for (Map.Entry<String, MessageAttribute> entry : new TreeMap<>(attributes).entrySet()) {
            MessageAttribute attribute = entry.getValue();
            lengthPrefixed(md5, entry.getKey().getBytes(StandardCharsets.UTF_8));
            lengthPrefixed(md5, attribute.dataType().getBytes(StandardCharsets.UTF_8));
            if (attribute.binaryValue() != null) {
                md5.update((byte) 2);
                lengthPrefixed(md5, attribute.binaryValue());
            } else {
                md5.update((byte) 1);
                lengthPrefixed(md5, attribute.stringValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    /** How many bytes the attribute counts towards the message size: name, type and value. */
    int size(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length + dataType.getBytes(StandardCharsets.UTF_8).length
                + (binaryValue != null ? binaryValue.length : stringValue.getBytes(StandardCharsets.UTF_8).length);
    }

    private static void lengthPrefixed(MessageDigest md5, byte[] bytes) {
        md5.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        md5.update(bytes);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MessageAttribute o && dataType.equals(o.dataType)
                && java.util.Objects.equals(stringValue, o.stringValue) && Arrays.equals(binaryValue, o.binaryValue);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dataType.hashCode() + java.util.Objects.hashCode(stringValue)) + Arrays.hashCode(binaryValue);
    }

    @Override
    public String toString() {
        return dataType + "=" + (binaryValue != null ? binaryValue.length + " bytes" : stringValue);
    }
}
