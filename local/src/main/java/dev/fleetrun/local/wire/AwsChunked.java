package dev.fleetrun.local.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code aws-chunked} content encoding S3 uploads use with {@code x-amz-content-sha256} set to
 * {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}, {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER} or
 * {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: chunks {@code hex-size[;chunk-signature=sig]\r\ndata\r\n}, a last
 * chunk of size 0, then trailing headers ({@code x-amz-checksum-crc32:...}, {@code x-amz-trailer-signature:...})
 * and an empty line. (AWS's description: "Signature calculations for the Authorization header: Transferring
 * payload in multiple chunks", S3 API reference, sigv4-streaming.)
 */
public final class AwsChunked {
    public static final String SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public static final String SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public static final String UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    public static final List<String> STREAMING = List.of(SIGNED, SIGNED_TRAILER, UNSIGNED_TRAILER);

    private AwsChunked() {
    }

    /** The decoded payload and the trailing headers (names lower case). */
    public record Decoded(byte[] payload, Map<String, String> trailers) {
    }

    /** Whether a request with these headers carries an aws-chunked body. */
    public static boolean isChunked(Map<String, List<String>> headers) {
        String hash = SignatureCheck.header(headers, "x-amz-content-sha256");
        return hash != null && STREAMING.contains(hash.trim());
    }

    /**
     * Takes the framing off; throws {@link IllegalArgumentException} with what is wrong when the body is not
     * aws-chunked.
     */
    public static Decoded decode(byte[] body) {
        var payload = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOfCrLf(body, at);
            if (lineEnd < 0) {
                throw new IllegalArgumentException("an aws-chunked body must have a chunk header ending in CRLF at byte " + at);
            }
            String header = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            int semicolon = header.indexOf(';');
            String hex = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("chunk size '" + hex + "' at byte " + at + " is not hexadecimal");
            }
            at = lineEnd + 2;
            if (size == 0) {
                break;
            }
            if (size < 0 || at + size + 2 > body.length) {
                throw new IllegalArgumentException("a chunk of " + size + " bytes at byte " + at + " runs past the body's end");
            }
            payload.write(body, at, size);
            at += size;
            if (body[at] != '\r' || body[at + 1] != '\n') {
                throw new IllegalArgumentException("the chunk ending at byte " + at + " is not followed by CRLF");
            }
            at += 2;
        }
        Map<String, String> trailers = new LinkedHashMap<>();
        while (at < body.length) {
            int lineEnd = indexOfCrLf(body, at);
            if (lineEnd < 0) {
                lineEnd = body.length;
            }
            String line = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            at = lineEnd + 2;
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                trailers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return new Decoded(payload.toByteArray(), trailers);
    }

    private static int indexOfCrLf(byte[] body, int from) {
        for (int i = from; i + 1 < body.length; i++) {
            if (body[i] == '\r' && body[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
