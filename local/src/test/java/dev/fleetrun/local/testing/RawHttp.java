package dev.fleetrun.local.testing;

import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.LocalCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * HTTP/1.1 to a loopback endpoint byte for byte, for what an SDK client cannot be made to send: requests signed by
 * the SDK's own SigV4 signer over the exact bytes of their body (so the endpoint's signature check passes and the
 * body reaches the handlers), or not signed at all; sent whole, in part, or with the sending side closed early;
 * answers read by their Content-Length, so a server that keeps the connection open (draining a body it refused)
 * does not stall the test.
 */
public final class RawHttp {
    private static final int TIMEOUT_MILLIS = 10_000;

    private final int port;
    private final LocalCredentials credentials;

    public RawHttp(int port, LocalCredentials credentials) {
        this.port = port;
        this.credentials = credentials;
    }

    /** Raw HTTP to {@code server}, signing with its credentials. */
    public static RawHttp to(AwsServer server) {
        return new RawHttp(server.port(), server.credentials());
    }

    /** The endpoint's own {@code Host}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /**
     * One request as it goes on the wire.
     *
     * @param head the request line and header fields, each line ending in CRLF, the empty line included
     * @param body the bytes after the head, exactly as sent (already chunked, when the head says so)
     */
    public record Request(String head, byte[] body) {
        public byte[] bytes() {
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[h.length + body.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            return all;
        }

        /** This request with a header field added just before the empty line (after the others, unsigned). */
        public Request withHeader(String name, String value) {
            return new Request(head.substring(0, head.length() - 2) + name + ": " + value + "\r\n\r\n", body);
        }

        /** This request without the header field {@code name} (any case). */
        public Request withoutHeader(String name) {
            return new Request(head.replaceAll("(?im)^" + java.util.regex.Pattern.quote(name) + ":[^\r\n]*\r\n", ""), body);
        }

        /** This request with {@code body} instead of its own, Content-Length and signature left as they were. */
        public Request withBody(byte[] other) {
            return new Request(head, other);
        }

        /**
         * This request with its body sent in chunks of {@code size} bytes (Transfer-Encoding: chunked instead of
         * Content-Length); the signature, made over the body's bytes, still holds.
         */
        public Request chunked(int size) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int from = 0; from < body.length; from += size) {
                int n = Math.min(size, body.length - from);
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, from, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return withoutHeader("Content-Length").withHeader("Transfer-Encoding", "chunked").withBody(out.toByteArray());
        }
    }

    /** A form-encoded (AWS Query) POST to {@code /}, signed for {@code service} as of {@code at}. */
    public Request signedForm(Instant at, String service, String form, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        headers.putAll(extraHeaders);
        return signed(at, service, "/", headers, form.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A POST to {@code path} with these header fields, {@code Host} (the endpoint's), a Content-Length and
     * {@code Connection: close}, signed by the SDK's SigV4 signer for {@code service} as of {@code at} over exactly
     * {@code body}.
     */
    public Request signed(Instant at, String service, String path, Map<String, String> headers, byte[] body) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(java.net.URI.create("http://" + host() + path));
        request.putHeader("Host", host());
        headers.forEach(request::putHeader);
        SdkHttpRequest signedRequest = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()))
                .request(request.build()).payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\n");
        signedRequest.forEachHeader((name, values) -> values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
        head.append("Content-Length: ").append(body.length).append("\r\n");
        head.append("Connection: close\r\n\r\n");
        return new Request(head.toString(), body);
    }

    /**
     * As {@link #signed(Instant, String, String, Map, byte[])}, signed now but with {@code x-amz-content-sha256:
     * UNSIGNED-PAYLOAD}, as the SDK signs over TLS where payload signing is off: the signature covers the head only.
     */
    public Request signedUnsignedPayload(String service, String path, Map<String, String> headers, byte[] body) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(java.net.URI.create("https://" + host() + path));
        request.putHeader("Host", host());
        headers.forEach(request::putHeader);
        SdkHttpRequest signedRequest = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()))
                .request(request.build()).payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)).request();
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\n");
        signedRequest.forEachHeader((name, values) -> values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
        head.append("Content-Length: ").append(body.length).append("\r\n");
        head.append("Connection: close\r\n\r\n");
        return new Request(head.toString(), body);
    }

    /** As {@link #signed(Instant, String, String, Map, byte[])}, signed now. */
    public Request signed(String service, String path, Map<String, String> headers, byte[] body) {
        return signed(Instant.now(), service, path, headers, body);
    }

    /** A form POST that is not signed, with the {@code Host} and {@code Origin} (null: none) given. */
    public static Request unsigned(String host, String origin, String form) {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        return new Request("POST / HTTP/1.1\r\nHost: " + host + "\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n")
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n", body);
    }

    /**
     * An answer.
     *
     * @param status the HTTP status, or 0 when the connection ended without one
     * @param head   the status line and header fields
     * @param body   the body, as long as its Content-Length says (or up to the end of the connection)
     */
    public record Answer(int status, String head, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The first value of header field {@code name} (any case), or null. */
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        /** Whether the server answered at all (it may close a connection it will not read without a word). */
        public boolean answered() {
            return status != 0;
        }

        @Override
        public String toString() {
            String text = text();
            return status + " " + (text.length() > 400 ? text.substring(0, 400) + "..." : text);
        }
    }

    /** Sends {@code request} whole and reads the answer. */
    public Answer send(Request request) throws IOException {
        return send(request.bytes(), false);
    }

    /** Sends these bytes as they are (then closes the sending side when {@code halfClose}) and reads the answer. */
    public Answer send(byte[] bytes, boolean halfClose) throws IOException {
        try (Connection connection = open()) {
            connection.write(bytes);
            if (halfClose) {
                connection.halfClose();
            }
            return connection.answer();
        }
    }

    /** A connection of its own to the endpoint, for requests sent in parts or held open. */
    public Connection open() throws IOException {
        return new Connection(port);
    }

    /** One connection: write what you will, then read one answer. */
    public static final class Connection implements AutoCloseable {
        private final Socket socket;

        Connection(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(TIMEOUT_MILLIS);
        }

        /** Writes {@code bytes}; false when the server has closed the connection already. */
        public boolean write(byte[] bytes) {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        /** Closes the sending side: the server reads the end of the request, and can still answer. */
        public void halfClose() {
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                // already closed by the server
            }
        }

        /** Reads one answer (status 0 when the connection ends, or is reset, before a status line). */
        public Answer answer() throws IOException {
            return read(socket.getInputStream());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int matched = 0;
            int c;
            while (matched < 4 && (c = in.read()) != -1) {
                head.write(c);
                matched = (c == '\r' || c == '\n') && "\r\n\r\n".charAt(matched) == c ? matched + 1 : (c == '\r' ? 1 : 0);
            }
        } catch (SocketException reset) {
            // the server closed the connection without reading what was sent
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/")) {
            return new Answer(0, text, new byte[0]);
        }
        int status = Integer.parseInt(text.split(" ", 3)[1]);
        Answer headOnly = new Answer(status, text.trim(), new byte[0]);
        String length = headOnly.header("Content-Length");
        byte[] body;
        try {
            body = status == 204 || status == 304 ? new byte[0] : length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
        } catch (SocketException reset) {
            body = new byte[0];
        }
        return new Answer(status, headOnly.head(), body);
    }
}
