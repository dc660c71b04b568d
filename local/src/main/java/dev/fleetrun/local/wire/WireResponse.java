package dev.fleetrun.local.wire;

import java.util.Map;

/** An HTTP answer in a protocol's encoding, ready to be written to the exchange. */
public record WireResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
}
