package dev.fleetrun.local.wire;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request to a REST service ({@link RestService}: S3), as it came: method, path, query, headers, and the
 * payload with any {@code aws-chunked} framing taken off ({@link AwsChunked}). The path is the request's own,
 * also when a client sent it through a proxy in absolute form ({@code GET http://bucket.localhost:4599/key}).
 */
public record RestRequest(String method, URI uri, Map<String, List<String>> headers, byte[] body) {

    /** The first value of a header, whatever the case of {@code name}; null when absent. */
    public String header(String name) {
        return SignatureCheck.header(headers, name);
    }

    /** The Host header, lower case, without the port. */
    public String hostName() {
        String host = header("Host");
        if (host == null) {
            return "";
        }
        host = host.trim().toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        return colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
    }

    /** The raw (still percent-encoded) path, "/" at least. */
    public String rawPath() {
        String path = uri.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    /** The query parameters, decoded, in order; a parameter without '=' has the value "". */
    public Map<String, String> query() {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            params.putIfAbsent(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return params;
    }

    /** Percent-decoding as S3 reads keys: '+' is a plus sign, not a space. */
    public static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
